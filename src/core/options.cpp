#include "ebmc/core/options.h"

#include <cmath>
#include <cstdio>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : "|") + name;
  return out;
}

/// Shortest text that reads back as the same double (integers without an exponent).
std::string number_text(double value) {
  char buffer[64];
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

class JsonWriter : public OptionVisitor {
 public:
  nlohmann::json json = nlohmann::json::object();
  void field(const char* key, double& value, const char*) override { json[key] = value; }
  void field(const char* key, int64_t& value, const char*) override { json[key] = value; }
  void field(const char* key, bool& value, const char*) override { json[key] = value; }
  void field(const char* key, std::string& value, const char*) override { json[key] = value; }
  void text_choice(const char* key, std::string& value, const std::vector<std::string>&,
                   const char*) override {
    json[key] = value;
  }
};

class JsonReader : public OptionVisitor {
 public:
  JsonReader(const nlohmann::json& json, std::string where)
      : json_(json), where_(std::move(where)) {}
  void field(const char* key, double& value, const char*) override { read(key, value); }
  void field(const char* key, int64_t& value, const char*) override { read(key, value); }
  void field(const char* key, bool& value, const char*) override { read(key, value); }
  void field(const char* key, std::string& value, const char*) override { read(key, value); }
  void text_choice(const char* key, std::string& value, const std::vector<std::string>& choices,
                   const char*) override {
    read(key, value);
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
      throw InputError(std::string(key) + " must be one of " + join(choices), where_);
    }
  }
  /// Keys the visit asked for, to reject the others.
  std::vector<std::string> seen;

 private:
  template <class T>
  void read(const char* key, T& value) {
    seen.emplace_back(key);
    auto it = json_.find(key);
    if (it == json_.end()) return;
    try {
      value = it->get<T>();
    } catch (const nlohmann::json::exception&) {
      throw InputError(std::string("option ") + key + " has the wrong type", where_);
    }
  }
  const nlohmann::json& json_;
  std::string where_;
};

class SpecReader : public OptionVisitor {
 public:
  explicit SpecReader(Spec& spec) : spec_(spec) {}
  void field(const char* key, double& value, const char*) override {
    value = spec_.get_double(key, value);
  }
  void field(const char* key, int64_t& value, const char*) override {
    value = spec_.get_int(key, value);
  }
  void field(const char* key, bool& value, const char*) override {
    value = spec_.get_flag(key, value);
  }
  void field(const char* key, std::string& value, const char*) override {
    value = spec_.get_string(key, value);
  }
  void text_choice(const char* key, std::string& value, const std::vector<std::string>& choices,
                   const char*) override {
    value = spec_.get_choice(key, value, choices);
  }

 private:
  Spec& spec_;
};

class DocWriter : public OptionVisitor {
 public:
  std::vector<OptionDoc> docs;
  void field(const char* key, double& value, const char* doc) override {
    docs.push_back({key, "number", number_text(value), doc});
  }
  void field(const char* key, int64_t& value, const char* doc) override {
    docs.push_back({key, "integer", std::to_string(value), doc});
  }
  void field(const char* key, bool& value, const char* doc) override {
    docs.push_back({key, "0|1", value ? "1" : "0", doc});
  }
  void field(const char* key, std::string& value, const char* doc) override {
    docs.push_back({key, "text", value, doc});
  }
  void text_choice(const char* key, std::string& value, const std::vector<std::string>& choices,
                   const char* doc) override {
    docs.push_back({key, join(choices), value, doc});
  }
};

}  // namespace

void check_at_least(int64_t value, int64_t minimum, const std::string& component,
                    const std::string& key) {
  if (value < minimum) {
    throw InputError(key + " must be >= " + std::to_string(minimum), component + ":" + key);
  }
}

nlohmann::json fields_to_json(const FieldVisit& visit) {
  JsonWriter writer;
  visit(writer);
  return writer.json;
}

void fields_from_json(const nlohmann::json& json, const FieldVisit& visit,
                      const std::string& where) {
  if (!json.is_object()) throw InputError("options must be a JSON object", where);
  JsonReader reader(json, where);
  visit(reader);
  for (const auto& item : json.items()) {
    if (std::find(reader.seen.begin(), reader.seen.end(), item.key()) == reader.seen.end()) {
      throw InputError("unknown option '" + item.key() + "'", where);
    }
  }
}

void fields_from_spec(Spec& spec, const FieldVisit& visit) {
  SpecReader reader(spec);
  visit(reader);
}

std::vector<OptionDoc> fields_docs(const FieldVisit& visit) {
  DocWriter writer;
  visit(writer);
  return writer.docs;
}

}  // namespace ebmc
