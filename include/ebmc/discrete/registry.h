#pragma once
/// @file registry.h
/// Discrete targets by name, as `ebmc sample --target NAME[:opts]` selects them.

#include <memory>
#include <string>
#include <vector>

#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// True when `spec`'s name (the part before `:`) is a discrete target.
bool is_discrete_target(const std::string& spec);
/// Builds the discrete target named by `spec`, e.g. `ising:n=10,theta=0.25`,
/// `rbm:visible=100,hidden=25,seed=3`, `fhmm:length=1000,factors=10`. Random model parameters
/// come from the spec's own `seed` option, so the same spec always gives the same model.
/// Throws InputError for an unknown name or option.
std::unique_ptr<DiscreteTarget> make_discrete_target(const std::string& spec);
/// One line per discrete target: its spec syntax and what it is.
std::vector<std::string> discrete_target_catalogue();

}  // namespace ebmc
