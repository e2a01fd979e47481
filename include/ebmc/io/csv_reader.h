#pragma once
/// @file csv_reader.h
/// A line-numbered reader of simple comma-separated files, for error messages that point at the
/// offending line.

#include <fstream>
#include <string>
#include <vector>

namespace ebmc {

/// Reads a comma-separated file row by row, skipping blank lines and tracking line numbers.
/// Quotes around a field are removed; fields hold no embedded commas.
class CsvReader {
 public:
  /// Opens `path`; throws InputError if it cannot be read.
  explicit CsvReader(std::string path);

  /// Reads the next non-blank row into `fields`; false at end of file.
  bool next_row(std::vector<std::string>& fields);
  /// 1-based line number of the last row returned.
  long long line() const { return line_; }
  /// `path:line` of the last row, for InputError's `where`.
  std::string where() const { return path_ + ":" + std::to_string(line_); }
  const std::string& path() const { return path_; }

  /// Parses `field` (column `column`) as a number; `NA` and `NaN` give NaN, `Inf`/`-Inf`
  /// infinities. Throws InputError at the current line otherwise.
  double parse_number(const std::string& field, const std::string& column) const;

 private:
  std::string path_;
  std::ifstream in_;
  long long line_ = 0;
};

}  // namespace ebmc
