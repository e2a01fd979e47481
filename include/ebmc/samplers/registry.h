#pragma once
/// @file registry.h
/// Samplers by name, as `ebmc sample --sampler NAME[:opts]` selects them.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ebmc/core/kernel.h"
#include "ebmc/samplers/warmup_adaptation.h"

namespace ebmc {

/// A kernel and, for tunable kernels with adaptation on, the warmup adaptation to run with it.
struct SamplerSetup {
  std::shared_ptr<Kernel> kernel;  ///< shared: learned kernels are torch modules
  std::optional<AdaptationOptions> adaptation;  ///< set when warmup should tune the kernel
};

/// Builds the sampler named by `spec` (e.g. `nuts:target_accept=0.9`, `hmc:step_size=0.1,
/// num_steps=20,adapt=0`, `l2hmc:model=model.pt`: a trained learned kernel, which refuses at
/// `init` a target other than the one it was trained for). Throws InputError for an unknown name
/// or option.
SamplerSetup make_sampler(const std::string& spec);

/// One line per available sampler: its spec syntax and what it is.
std::vector<std::string> sampler_catalogue();

}  // namespace ebmc
