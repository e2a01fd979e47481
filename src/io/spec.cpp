#include "ebmc/io/spec.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "ebmc/core/errors.h"

namespace ebmc {

Spec Spec::parse(const std::string& text, const std::string& origin) {
  Spec spec;
  spec.origin_ = origin;
  const size_t colon = text.find(':');
  spec.name_ = text.substr(0, colon);
  if (spec.name_.empty()) throw InputError("missing name in '" + text + "'", origin);
  if (colon == std::string::npos) return spec;
  const std::string rest = text.substr(colon + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t comma = rest.find(',', start);
    const std::string item =
        rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw InputError("expected key=value, got '" + item + "'", origin + " " + spec.name_);
    }
    const std::string key = item.substr(0, equals);
    if (!spec.options_.emplace(key, item.substr(equals + 1)).second) {
      throw InputError("option given twice", spec.where(key));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return spec;
}

double Spec::get_double(const std::string& key, double fallback) {
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  used_.insert(key);
  const char* begin = it->second.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (it->second.empty() || end != begin + it->second.size() || !std::isfinite(value)) {
    throw InputError("expected a finite number, got '" + it->second + "'", where(key));
  }
  return value;
}

int64_t Spec::get_int(const std::string& key, int64_t fallback) {
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  used_.insert(key);
  const char* begin = it->second.c_str();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(begin, &end, 10);
  if (it->second.empty() || end != begin + it->second.size() || errno == ERANGE) {
    throw InputError("expected an integer, got '" + it->second + "'", where(key));
  }
  return value;
}

std::string Spec::get_string(const std::string& key, const std::string& fallback) {
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  used_.insert(key);
  return it->second;
}

void Spec::reject_unused() const {
  for (const auto& [key, value] : options_) {
    if (used_.count(key) == 0) throw InputError("unknown option '" + key + "'", where(key));
  }
}

}  // namespace ebmc
