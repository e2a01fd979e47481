#pragma once
/// @file options.h
/// Self-describing options: every `XxxOptions` struct lists its fields once, in
/// `visit_fields(OptionVisitor&)`, with key, default (the member's initializer) and a short doc.
/// From that one definition come spec parsing (`name:key=value,…`), JSON (summaries, model
/// files), `ebmc list` and the README's component tables.
///
///     struct RwmOptions {
///       void validate() const;
///       void visit_fields(ebmc::OptionVisitor& v) {
///         v.field("step_size", step_size(), "standard deviation of the Gaussian proposal");
///       }
///       TORCH_ARG(double, step_size) = 0.5;
///     };
///     RwmOptions o = ebmc::options_from_spec<RwmOptions>(spec);

#include <algorithm>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/spec.h"

namespace ebmc {

/// One documented option of a component, as `ebmc list` and the README show it.
struct OptionDoc {
  std::string name;
  std::string type;           ///< `number`, `integer`, `0|1`, `text` or the choices `a|b|c`
  std::string default_value;  ///< as it would be written in a spec
  std::string doc;
};

/// What `visit_fields` calls once per field. Reading (to JSON, docs) and writing (from a spec,
/// from JSON) visitors share this interface, so a field is declared exactly once.
class OptionVisitor {
 public:
  virtual ~OptionVisitor() = default;
  virtual void field(const char* key, double& value, const char* doc) = 0;
  virtual void field(const char* key, int64_t& value, const char* doc) = 0;
  virtual void field(const char* key, bool& value, const char* doc) = 0;
  virtual void field(const char* key, std::string& value, const char* doc) = 0;
  /// A text field restricted to `choices`.
  virtual void text_choice(const char* key, std::string& value,
                           const std::vector<std::string>& choices, const char* doc) = 0;

  /// An enum field whose values are indexed by `names` (value k is `names[k]`).
  template <class Enum>
  void choice(const char* key, Enum& value, const std::vector<std::string>& names,
              const char* doc) {
    std::string text = names.at(static_cast<size_t>(value));
    text_choice(key, text, names, doc);
    value = static_cast<Enum>(std::find(names.begin(), names.end(), text) - names.begin());
  }
};

/// Visits the fields of one options value.
using FieldVisit = std::function<void(OptionVisitor&)>;

/// The fields as a JSON object (keys in declaration order of `visit`).
nlohmann::json fields_to_json(const FieldVisit& visit);
/// Overwrites the fields present in `json`; throws InputError naming `where` for an unknown key
/// or a value of the wrong type.
void fields_from_json(const nlohmann::json& json, const FieldVisit& visit,
                      const std::string& where);
/// Overwrites the fields given in `spec` (marking them used); throws InputError for malformed
/// values.
void fields_from_spec(Spec& spec, const FieldVisit& visit);
/// Documentation of the fields with their current values as defaults.
std::vector<OptionDoc> fields_docs(const FieldVisit& visit);

/// `options` as JSON.
template <class Options>
nlohmann::json options_to_json(Options options) {
  return fields_to_json([&options](OptionVisitor& v) { options.visit_fields(v); });
}

/// Options from JSON written by `options_to_json` (absent keys keep their defaults), validated.
template <class Options>
Options options_from_json(const nlohmann::json& json, const std::string& where) {
  Options options;
  fields_from_json(
      json, [&options](OptionVisitor& v) { options.visit_fields(v); }, where);
  options.validate();
  return options;
}

/// Options from a spec (absent keys keep their defaults). Does not validate: the component's
/// constructor does, and the registry names the spec in its error.
template <class Options>
Options options_from_spec(Spec& spec) {
  Options options;
  fields_from_spec(spec, [&options](OptionVisitor& v) { options.visit_fields(v); });
  return options;
}

/// The documented options of `Options`, defaults from a default-constructed value.
template <class Options>
std::vector<OptionDoc> option_docs() {
  Options options;
  return fields_docs([&options](OptionVisitor& v) { options.visit_fields(v); });
}

/// Throws InputError "`key` must be >= `minimum`" naming `component:key` unless `value` is at
/// least `minimum`: the check most options' `validate()` needs.
void check_at_least(int64_t value, int64_t minimum, const std::string& component,
                    const std::string& key);

/// A struct for components without options.
struct NoOptions {
  void validate() const {}
  void visit_fields(OptionVisitor&) {}
};

}  // namespace ebmc
