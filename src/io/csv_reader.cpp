#include "ebmc/io/csv_reader.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <string_view>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

/// `text` without surrounding blanks and quotes.
std::string_view trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r");
  text = text.substr(begin, end - begin + 1);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

}  // namespace

CsvReader::CsvReader(std::string path) : path_(std::move(path)) {
  if (path_ == "-") {
    in_ = &std::cin;
    path_ = "stdin";
    return;
  }
  file_.open(path_);
  if (!file_) {
    throw InputError(std::string("cannot open file: ") + std::strerror(errno), path_);
  }
  in_ = &file_;
}

bool CsvReader::all_numbers(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (field == "NA" || field == "NaN" || field == "nan" || field == "Inf" || field == "inf" ||
        field == "-Inf" || field == "-inf") {
      continue;
    }
    char* end = nullptr;
    std::strtod(field.c_str(), &end);
    if (field.empty() || end != field.c_str() + field.size()) return false;
  }
  return !fields.empty();
}

std::vector<std::string> CsvReader::read_column_names(const std::string& prefix) {
  std::vector<std::string> first;
  if (!next_row(first)) throw InputError("file is empty", path_);
  if (!all_numbers(first)) {
    check_header_names(first);
    return first;
  }
  pending_ = first;
  has_pending_ = headerless_ = true;
  std::vector<std::string> names;
  for (size_t j = 0; j < first.size(); ++j) names.push_back(prefix + "." + std::to_string(j + 1));
  return names;
}

bool CsvReader::next_row(std::vector<std::string>& fields) {
  if (has_pending_) {  // the first row of a file without a header, at the line it was read
    has_pending_ = false;
    fields = pending_;
    return true;
  }
  std::string text;
  comments_.clear();
  while (std::getline(*in_, text)) {
    ++line_;
    if (line_ == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // UTF-8 BOM
    const std::string_view trimmed = trim(text);
    if (trimmed.empty()) continue;
    if (trimmed[0] == '#') {
      comments_ += std::string(trimmed.substr(1)) + "\n";
      continue;
    }
    unterminated_ = in_->eof();
    // The fields' strings are reused from row to row (no allocation per field).
    size_t count = 0;
    const std::string_view line(text);
    size_t start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      const std::string_view field = trim(line.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (count == fields.size()) fields.emplace_back();
      fields[count++].assign(field.data(), field.size());
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    fields.resize(count);
    return true;
  }
  if (in_->bad()) throw InputError("read error", path_);
  return false;
}

double CsvReader::parse_number(const std::string& field, const std::string& column) const {
  if (field == "NA" || field == "NaN" || field == "nan") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (field == "Inf" || field == "inf") return std::numeric_limits<double>::infinity();
  if (field == "-Inf" || field == "-inf") return -std::numeric_limits<double>::infinity();
  double parsed = 0.0;
  const auto [stop, error] = std::from_chars(field.data(), field.data() + field.size(), parsed);
  if (error == std::errc() && stop == field.data() + field.size()) return parsed;  // fast path
  const char* begin = field.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (field.empty() || end != begin + field.size() || (errno == ERANGE && std::isinf(value))) {
    throw InputError("non-numeric field '" + field + "' in column " + column, where());
  }
  return value;
}

bool is_valid_utf8(const std::string& text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = byte(i);
    size_t extra = 0;
    uint32_t code = 0, min = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1, code = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2, code = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3, code = b & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= n) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

void CsvReader::check_header_names(const std::vector<std::string>& header, size_t first) const {
  std::map<std::string, size_t> seen;
  for (size_t j = first; j < header.size(); ++j) {
    const std::string column = "column " + std::to_string(j + 1);
    if (header[j].empty()) throw InputError("header " + column + " has no name", where());
    if (!is_valid_utf8(header[j])) {
      throw InputError("header " + column + " is not valid UTF-8 text", where());
    }
    auto [it, inserted] = seen.emplace(header[j], j);
    if (!inserted) {
      throw InputError(column + " repeats the name '" + header[j] + "' of column " +
                           std::to_string(it->second + 1),
                       where());
    }
  }
}

}  // namespace ebmc
