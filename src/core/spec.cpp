#include "ebmc/core/spec.h"

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

const std::string* Spec::take(const std::string& key) {
  auto it = options_.find(key);
  if (it == options_.end()) return nullptr;
  used_.insert(key);
  return &it->second;
}

double Spec::get_double(const std::string& key, double fallback) {
  const std::string* text = take(key);
  if (text == nullptr) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || !std::isfinite(value)) {
    throw InputError("expected a finite number, got '" + *text + "'", where(key));
  }
  return value;
}

int64_t Spec::get_int(const std::string& key, int64_t fallback) {
  const std::string* text = take(key);
  if (text == nullptr) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || end != text->c_str() + text->size() || errno == ERANGE) {
    throw InputError("expected an integer, got '" + *text + "'", where(key));
  }
  return value;
}

std::string Spec::get_string(const std::string& key, const std::string& fallback) {
  const std::string* text = take(key);
  return text == nullptr ? fallback : *text;
}

bool Spec::get_flag(const std::string& key, bool fallback) {
  const std::string* text = take(key);
  if (text == nullptr) return fallback;
  if (*text == "1" || *text == "true") return true;
  if (*text == "0" || *text == "false") return false;
  throw InputError(key + " must be 0 or 1 (or true or false), got '" + *text + "'", where(key));
}

std::string Spec::get_choice(const std::string& key, const std::string& fallback,
                             const std::vector<std::string>& choices) {
  const std::string value = get_string(key, fallback);
  for (const std::string& choice : choices) {
    if (choice == value) return value;
  }
  std::string names;
  for (const std::string& choice : choices) names += (names.empty() ? "" : "|") + choice;
  throw InputError(key + " must be one of " + names + ", got '" + value + "'", where(key));
}

void Spec::reject_unused() const {
  for (const auto& [key, value] : options_) {
    if (used_.count(key) == 0) throw InputError("unknown option '" + key + "'", where(key));
  }
}

}  // namespace ebmc
