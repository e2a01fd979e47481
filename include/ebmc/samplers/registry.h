#pragma once
/// @file registry.h
/// Samplers by name, as `ebmc sample --sampler NAME[:opts]` selects them.

#include <memory>
#include <string>
#include <vector>

#include "ebmc/core/kernel.h"

namespace ebmc {

/// Builds the kernel named by `spec` (e.g. `rwm:step_size=0.8`). Throws InputError for an
/// unknown name or option.
std::unique_ptr<Kernel> make_kernel(const std::string& spec);

/// One line per available sampler: its spec syntax and what it is.
std::vector<std::string> sampler_catalogue();

}  // namespace ebmc
