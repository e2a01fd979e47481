#pragma once
/// @file registry.h
/// The one registry of components. Every target, sampler and learned kernel registers itself in
/// its own `.cpp` with its name, kind, one-line summary, documented options (from its
/// `XxxOptions::visit_fields`) and a factory:
///
///     EBMC_REGISTER(ebmc::register_component<ebmc::Sampler, ebmc::RwmOptions>(
///         ebmc::ComponentKind::kSampler, "rwm", "random-walk Metropolis",
///         [](const ebmc::RwmOptions& o) { return ebmc::Sampler{std::make_shared<Rwm>(o), {}}; }));
///
/// Spec parsing (`make_component`), `ebmc list`, model files, the README's component tables and
/// the tests that loop over "every sampler" all read it. The library is linked whole-archive so
/// that the linker keeps every registration.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ebmc/core/determinism.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/options.h"
#include "ebmc/core/spec.h"

namespace ebmc {

/// What a component is, which decides where it can be used.
enum class ComponentKind {
  kTarget,            ///< continuous target (`--target`)
  kDiscreteTarget,    ///< binary or categorical target (`--target`)
  kSampler,           ///< kernel on continuous targets (`--sampler`)
  kDiscreteSampler,   ///< kernel on discrete targets (`--sampler`)
  kLearnedSampler,    ///< trainable kernel (`ebmc train-sampler`, then `--sampler NAME:model=`)
  kFlow,              ///< normalizing flow (`ebmc train-flow --flow`, flow-assisted samplers)
  kEbmMethod,         ///< EBM training method (`ebmc train-ebm --method`)
  kEbmModel,          ///< trainable energy (`ebmc train-ebm --model`)
  kDiscreteEbmModel,  ///< trainable model of binary/categorical data (`ebmc train-ebm --model`)
};

/// Every kind, in the order `ebmc list` shows them.
std::vector<ComponentKind> all_component_kinds();
/// `target`, `discrete target`, `sampler`, `discrete sampler`, `learned sampler`, `flow`.
std::string kind_label(ComponentKind kind);
/// The same as a JSON/identifier key: `target`, `discrete_target`, …
std::string kind_key(ComponentKind kind);

/// A registered component as `ebmc list` and the README describe it.
struct ComponentInfo {
  std::string name;
  ComponentKind kind = ComponentKind::kTarget;
  std::string summary;              ///< one line
  std::vector<OptionDoc> options;   ///< from the options struct
  std::vector<OptionDoc> sampling;  ///< learned kernels: the options of `--sampler NAME:…`
};

/// Adds `info`; throws std::logic_error when (kind, name) is taken.
void add_component_info(ComponentInfo info);
/// Every component of `kind`, sorted by name.
std::vector<ComponentInfo> components(ComponentKind kind);
/// The component `name` of `kind`, or nullptr.
const ComponentInfo* find_component(ComponentKind kind, const std::string& name);
/// The registry as JSON: `{kind_key: [{name, summary, options: [{name, type, default, doc}]}]}`.
nlohmann::json components_to_json();
/// The registry as text, one block per kind, for `ebmc list`.
std::string components_to_text();
/// The components of `kind` as a Markdown table (spec with defaults, summary, options): the
/// README's component tables are this output (a test keeps them equal).
std::string components_to_markdown(ComponentKind kind);

/// The factories of one product type `Signature` = `Product(Spec&, Args...)`, by name.
template <class Signature>
std::map<std::string, std::function<Signature>>& factories() {
  static std::map<std::string, std::function<Signature>> table;
  return table;
}

/// Returns `build()`; an InputError it throws at `name:key` (what `validate()` names; options
/// shared by several components say `method:key`, read as the spec's name) is rethrown at
/// `origin name:key` (`--sampler hmc:num_steps`), others unchanged.
template <class Build>
auto build_naming_origin(const Spec& spec, const std::string& origin, Build build)
    -> decltype(build()) {
  try {
    return build();
  } catch (const InputError& e) {
    std::string where = e.where();
    if (where.rfind("method:", 0) == 0) where.replace(0, 6, spec.name());
    if (where.rfind(spec.name() + ":", 0) != 0) throw;
    throw InputError(e.what(), origin + " " + where);
  }
}

/// The factory of `table` (a map by name) that `spec` names; InputError "unknown <kind> 'name'
/// (see `ebmc list`)" at `origin` when there is none.
template <class Table>
const typename Table::mapped_type& find_factory(const Table& table, const Spec& spec,
                                                ComponentKind kind, const std::string& origin) {
  auto it = table.find(spec.name());
  if (it == table.end()) {
    throw InputError("unknown " + kind_label(kind) + " '" + spec.name() + "' (see `ebmc list`)",
                     origin);
  }
  return it->second;
}

/// Registers a component whose options are `Options` and whose `build(const Options&)` returns
/// a `Product`. The factory parses the spec's options, rejects unknown ones, then builds; an
/// InputError from `validate()` names the spec (`--sampler hmc:num_steps`).
template <class Product, class Options, class Build>
bool register_component(ComponentKind kind, const std::string& name, const std::string& summary,
                        Build build) {
  add_component_info({name, kind, summary, option_docs<Options>(), {}});
  factories<Product(Spec&)>()[name] = [build](Spec& spec) -> Product {
    Options options = options_from_spec<Options>(spec);
    spec.reject_unused();
    return build_naming_origin(spec, spec.origin(), [&] {
      options.validate();
      return build(options);
    });
  };
  return true;
}

/// Builds the `Product` named by `text` (`name[:key=value,…]`); `origin` (`--target`) and
/// `kind` name the place and the kind in errors. Throws InputError for an unknown name or
/// option, or invalid values.
template <class Product>
Product make_component(ComponentKind kind, const std::string& text, const std::string& origin) {
  Spec spec = Spec::parse(text, origin);
  const auto& factory = find_factory(factories<Product(Spec&)>(), spec, kind, origin);
  SingleThreadScope one_thread;  // a component's constants must not depend on the thread count
  return factory(spec);
}

}  // namespace ebmc

#define EBMC_REGISTRY_CONCAT_INNER(a, b) a##b
#define EBMC_REGISTRY_CONCAT(a, b) EBMC_REGISTRY_CONCAT_INNER(a, b)
/// Runs a registration once at start-up (unique name per use, also in unity builds).
#define EBMC_REGISTER(...)                                                                 \
  [[maybe_unused]] static const bool EBMC_REGISTRY_CONCAT(ebmc_registered_, __COUNTER__) = \
      (__VA_ARGS__)
