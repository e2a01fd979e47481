#pragma once
/// @file discrete_registry.h
/// Discrete samplers by name, as `ebmc sample --sampler NAME[:opts]` selects them. Each sampler
/// registers itself in its own source file (see core/registry.h).

#include <memory>
#include <string>

#include "ebmc/core/registry.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// Builds the discrete sampler named by `spec`, e.g. `gwg:flips=3`. Throws InputError for an
/// unknown name or option.
std::unique_ptr<DiscreteKernel> make_discrete_sampler(const std::string& spec);

/// True when `spec` names a registered discrete sampler.
bool is_registered_discrete_sampler(const std::string& spec);

/// Registers the discrete sampler `name` built by `build(const Options&)`.
template <class Options, class Build>
bool register_discrete_sampler(const std::string& name, const std::string& summary, Build build) {
  return register_component<std::unique_ptr<DiscreteKernel>, Options>(
      ComponentKind::kDiscreteSampler, name, summary, build);
}

}  // namespace ebmc
