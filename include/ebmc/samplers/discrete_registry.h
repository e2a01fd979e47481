#pragma once
/// @file discrete_registry.h
/// Discrete samplers by name, as `ebmc sample --sampler NAME[:opts]` selects them.

#include <memory>
#include <string>
#include <vector>

#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// True when `spec`'s name is a discrete sampler.
bool is_discrete_sampler(const std::string& spec);
/// Builds the discrete sampler named by `spec`: `gibbs[:block=1,sweep=0]`, `gwg[:flips=1]`,
/// `lb[:flips=1]` (exact locally-balanced q₂), `hb[:block=10,radius=1,aligned=0]`, `rbm_gibbs`.
/// Throws InputError for an unknown name or option.
std::unique_ptr<DiscreteKernel> make_discrete_sampler(const std::string& spec);
/// One line per discrete sampler: its spec syntax and what it is.
std::vector<std::string> discrete_sampler_catalogue();

}  // namespace ebmc
