#pragma once
/// @file registry.h
/// Discrete targets by name, as `ebmc sample --target NAME[:opts]` selects them. Each model
/// registers itself in its own source file (see core/registry.h).

#include <memory>
#include <string>

#include "ebmc/core/registry.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// Builds the discrete target named by `spec`, e.g. `ising:n=10,theta=0.25`,
/// `rbm:visible=100,hidden=25,seed=3`. Random model parameters come from the spec's own `seed`
/// option, so the same spec always gives the same model. Throws InputError for an unknown name
/// or option.
std::unique_ptr<DiscreteTarget> make_discrete_target(const std::string& spec);

/// True when `spec` names a registered discrete target (a name registered as both a continuous
/// and a discrete target, such as `torchscript`, is discrete when the spec gives `kind=`).
bool is_registered_discrete_target(const std::string& spec);

/// Registers the discrete target `name` built by `build(const Options&)`.
template <class Options, class Build>
bool register_discrete_target(const std::string& name, const std::string& summary, Build build) {
  return register_component<std::unique_ptr<DiscreteTarget>, Options>(
      ComponentKind::kDiscreteTarget, name, summary, build);
}

}  // namespace ebmc
