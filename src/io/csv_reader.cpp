#include "ebmc/io/csv_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

std::string trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const size_t end = s.find_last_not_of(" \t\r");
  std::string out = s.substr(begin, end - begin + 1);
  if (out.size() >= 2 && out.front() == '"' && out.back() == '"')
    out = out.substr(1, out.size() - 2);
  return out;
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

bool CsvReader::next_row(std::vector<std::string>& fields) {
  std::string text;
  comments_.clear();
  while (std::getline(*in_, text)) {
    ++line_;
    if (line_ == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // UTF-8 BOM
    const std::string trimmed = trim(text);
    if (trimmed.empty()) continue;
    if (trimmed[0] == '#') {
      comments_ += trimmed.substr(1) + "\n";
      continue;
    }
    unterminated_ = in_->eof();
    fields.clear();
    size_t start = 0;
    while (true) {
      const size_t comma = text.find(',', start);
      fields.push_back(
          trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
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
  const char* begin = field.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (field.empty() || end != begin + field.size() || (errno == ERANGE && std::isinf(value))) {
    throw InputError("non-numeric field '" + field + "' in column " + column, where());
  }
  return value;
}

}  // namespace ebmc
