#include "ebmc/core/registry.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace ebmc {

namespace {

std::vector<ComponentInfo>& infos() {
  static std::vector<ComponentInfo> all;
  return all;
}

nlohmann::json docs_to_json(const std::vector<OptionDoc>& docs) {
  nlohmann::json out = nlohmann::json::array();
  for (const OptionDoc& d : docs) {
    out.push_back(
        {{"name", d.name}, {"type", d.type}, {"default", d.default_value}, {"doc", d.doc}});
  }
  return out;
}

/// `name[:key=default,…]`, or with `required` `name:key=KEY,…` for options that must be given
/// (learned kernels' `model=`; an empty default shows as the key in capitals).
std::string spec_syntax(const std::string& name, const std::vector<OptionDoc>& docs,
                        bool required = false) {
  std::string text = name;
  for (size_t i = 0; i < docs.size(); ++i) {
    std::string value = docs[i].default_value;
    if (required && value.empty()) {
      value = docs[i].name;
      for (char& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    text += (i == 0 ? (required ? ":" : "[:") : ",") + docs[i].name + "=" + value;
  }
  return docs.empty() || required ? text : text + "]";
}

void write_docs(std::ostringstream& out, const std::vector<OptionDoc>& docs) {
  for (const OptionDoc& d : docs) {
    out << "      " << d.name << " (" << d.type << ", default " << d.default_value << "): " << d.doc
        << '\n';
  }
}

/// `text` with Markdown table bars escaped.
std::string escape_bars(const std::string& text) {
  std::string escaped;
  for (char c : text) escaped += (c == '|') ? std::string("\\|") : std::string(1, c);
  return escaped;
}

/// `key: doc` for every option, separated by semicolons, escaped for a table cell.
std::string docs_inline(const std::vector<OptionDoc>& docs) {
  std::string text;
  for (const OptionDoc& d : docs) text += (text.empty() ? "" : "; ") + d.name + ": " + d.doc;
  return escape_bars(text);
}

}  // namespace

std::vector<ComponentKind> all_component_kinds() {
  return {ComponentKind::kTarget,          ComponentKind::kDiscreteTarget,
          ComponentKind::kSampler,         ComponentKind::kDiscreteSampler,
          ComponentKind::kLearnedSampler,  ComponentKind::kFlow,
          ComponentKind::kEbmMethod,       ComponentKind::kEbmModel,
          ComponentKind::kDiscreteEbmModel};
}

std::string kind_label(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kTarget:
      return "target";
    case ComponentKind::kDiscreteTarget:
      return "discrete target";
    case ComponentKind::kSampler:
      return "sampler";
    case ComponentKind::kDiscreteSampler:
      return "discrete sampler";
    case ComponentKind::kLearnedSampler:
      return "learned sampler";
    case ComponentKind::kFlow:
      return "flow";
    case ComponentKind::kEbmMethod:
      return "EBM method";
    case ComponentKind::kEbmModel:
      return "EBM model";
    case ComponentKind::kDiscreteEbmModel:
      return "discrete EBM model";
  }
  return "component";
}

std::string kind_key(ComponentKind kind) {
  std::string key = kind_label(kind);
  std::replace(key.begin(), key.end(), ' ', '_');
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

void add_component_info(ComponentInfo info) {
  if (find_component(info.kind, info.name) != nullptr) {
    throw std::logic_error(kind_label(info.kind) + " '" + info.name + "' registered twice");
  }
  infos().push_back(std::move(info));
}

std::vector<ComponentInfo> components(ComponentKind kind) {
  std::vector<ComponentInfo> out;
  for (const ComponentInfo& info : infos()) {
    if (info.kind == kind) out.push_back(info);
  }
  std::sort(out.begin(), out.end(),
            [](const ComponentInfo& a, const ComponentInfo& b) { return a.name < b.name; });
  return out;
}

const ComponentInfo* find_component(ComponentKind kind, const std::string& name) {
  for (const ComponentInfo& info : infos()) {
    if (info.kind == kind && info.name == name) return &info;
  }
  return nullptr;
}

nlohmann::json components_to_json() {
  nlohmann::json out = nlohmann::json::object();
  for (ComponentKind kind : all_component_kinds()) {
    nlohmann::json list = nlohmann::json::array();
    for (const ComponentInfo& info : components(kind)) {
      nlohmann::json entry = {
          {"name", info.name}, {"summary", info.summary}, {"options", docs_to_json(info.options)}};
      if (kind == ComponentKind::kLearnedSampler) {
        entry["sampling_options"] = docs_to_json(info.sampling);
      }
      list.push_back(entry);
    }
    out[kind_key(kind)] = list;
  }
  return out;
}

std::string components_to_text() {
  std::ostringstream out;
  for (ComponentKind kind : all_component_kinds()) {
    out << kind_label(kind) << "s:\n";
    for (const ComponentInfo& info : components(kind)) {
      if (kind == ComponentKind::kLearnedSampler) {
        out << "  " << spec_syntax(info.name, info.sampling, /*required=*/true) << "  "
            << info.summary << '\n';
        out << "    train with: ebmc train-sampler --sampler "
            << spec_syntax(info.name, info.options) << '\n';
      } else {
        out << "  " << spec_syntax(info.name, info.options) << "  " << info.summary << '\n';
      }
      write_docs(out, info.options);
    }
  }
  return out.str();
}

std::string components_to_markdown(ComponentKind kind) {
  std::ostringstream out;
  if (kind == ComponentKind::kLearnedSampler) {
    out << "| sample with | train with | what | training options |\n|---|---|---|---|\n";
  } else {
    out << "| spec (defaults) | what | options |\n|---|---|---|\n";
  }
  for (const ComponentInfo& info : components(kind)) {
    if (kind == ComponentKind::kLearnedSampler) {
      out << "| `" << escape_bars(spec_syntax(info.name, info.sampling, /*required=*/true))
          << "` | `" << escape_bars(spec_syntax(info.name, info.options)) << "` | "
          << escape_bars(info.summary) << " | " << docs_inline(info.options) << " |\n";
    } else {
      out << "| `" << escape_bars(spec_syntax(info.name, info.options)) << "` | "
          << escape_bars(info.summary) << " | " << docs_inline(info.options) << " |\n";
    }
  }
  return out.str();
}

}  // namespace ebmc
