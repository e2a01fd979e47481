#pragma once
/// @file csv_reader.h
/// A line-numbered reader of simple comma-separated files, for error messages that point at the
/// offending line.

#include <fstream>
#include <istream>
#include <string>
#include <vector>

namespace ebmc {

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
/// U+10FFFF).
bool is_valid_utf8(const std::string& text);

/// Reads a comma-separated file row by row, skipping blank lines and `#` comment lines (as in
/// CmdStan's CSV) and tracking line numbers. A UTF-8 byte-order mark is ignored; `-` reads
/// standard input. Quotes around a field are removed; fields hold no embedded commas.
class CsvReader {
 public:
  /// Opens `path` (`-`: standard input); throws InputError if it cannot be read.
  explicit CsvReader(std::string path);

  /// Reads the next non-blank row into `fields`; false at end of file.
  bool next_row(std::vector<std::string>& fields);
  /// The column names of a data file, by one rule for every reader of data: the first row is a
  /// header, checked as `check_header_names` does, unless every one of its fields is a number —
  /// a file without a header, as numpy.savetxt writes — in which case that row is the first row
  /// of data (`next_row` returns it next) and the columns are named `prefix.1`, `prefix.2`, ….
  /// Throws InputError for an empty file.
  std::vector<std::string> read_column_names(const std::string& prefix);
  /// Whether `read_column_names` found numbers instead of a header.
  bool headerless() const { return headerless_; }
  /// True when every field of `fields` is a number (`NA`, `NaN` and `Inf` included).
  static bool all_numbers(const std::vector<std::string>& fields);
  /// 1-based line number of the last row returned.
  long long line() const { return line_; }
  /// `path:line` of the last row, for InputError's `where`.
  std::string where() const { return path_ + ":" + std::to_string(line_); }
  const std::string& path() const { return path_; }
  /// The comment lines (without `#`) between the previous row and the last one.
  const std::string& comments_before_row() const { return comments_; }
  /// True when the last row returned was the file's last line and had no line end: the torn
  /// last line a killed writer can leave.
  bool last_row_unterminated() const { return unterminated_; }

  /// Parses `field` (column `column`) as a number; `NA` and `NaN` give NaN, `Inf`/`-Inf`
  /// infinities. Throws InputError at the current line otherwise.
  double parse_number(const std::string& field, const std::string& column) const;
  /// Refuses header columns `first`… that are empty, not valid UTF-8 or repeated, naming the
  /// file, line and column (InputError).
  void check_header_names(const std::vector<std::string>& header, size_t first = 0) const;

 private:
  std::string path_;
  std::ifstream file_;
  std::istream* in_ = nullptr;
  long long line_ = 0;
  std::string comments_;
  bool unterminated_ = false;
  std::vector<std::string> pending_;  ///< a first row of data read as a would-be header
  bool has_pending_ = false, headerless_ = false;
};

}  // namespace ebmc
