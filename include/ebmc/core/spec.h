#pragma once
/// @file spec.h
/// Components chosen by name with options, as on the command line: `gaussian:d=20,scale=3`.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ebmc {

/// A parsed `name[:key=value,key=value…]` specification. Getters mark options as used so that
/// `reject_unused` can name any option the component does not know.
///
///     ebmc::Spec spec = ebmc::Spec::parse("rwm:step_size=0.8", "--sampler");
///     double step = spec.get_double("step_size", 0.5);
///     spec.reject_unused();
class Spec {
 public:
  /// Parses `text`; `origin` (e.g. `--target`) is used in error messages. Throws InputError for
  /// an empty name, an option without `=`, an empty key or a repeated key.
  static Spec parse(const std::string& text, const std::string& origin);

  const std::string& name() const { return name_; }
  /// True when `key` was given.
  bool has(const std::string& key) const { return options_.count(key) > 0; }
  /// The option as a finite number, or `fallback` when absent.
  double get_double(const std::string& key, double fallback);
  /// The option as an integer, or `fallback` when absent.
  int64_t get_int(const std::string& key, int64_t fallback);
  /// The option as text, or `fallback` when absent.
  std::string get_string(const std::string& key, const std::string& fallback);
  /// The option as a flag (0 or 1, true or false), or `fallback` when absent.
  bool get_flag(const std::string& key, bool fallback);
  /// The option as one of `choices`, or `fallback` when absent.
  std::string get_choice(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& choices);
  /// Where the spec came from, e.g. `--sampler`.
  const std::string& origin() const { return origin_; }
  /// `origin name:key`, the place an error about option `key` names.
  std::string where(const std::string& key) const { return origin_ + " " + name_ + ":" + key; }
  /// Throws InputError naming the first option that no getter asked for.
  void reject_unused() const;

 private:
  /// The value of `key`, marked as used, or nullptr when absent.
  const std::string* take(const std::string& key);

  std::string origin_;
  std::string name_;
  std::map<std::string, std::string> options_;
  std::set<std::string> used_;
};

}  // namespace ebmc
