#pragma once
/// @file learned_registry.h
/// Learned kernels by name, and their model files.

#include <torch/torch.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/learned/learned_kernel.h"

namespace ebmc {

/// True for the names of learned kernels (`l2hmc`, `entropy`).
bool is_learned_sampler(const std::string& spec);

/// A fresh (untrained) kernel for dimension `dim` from `spec`, e.g. `l2hmc:leapfrog=10,hidden=10`
/// or `entropy:variant=full,width=64,steps=1,target_accept=0.7`; networks drawn from `rng`.
/// Throws InputError for an unknown name or option.
std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& spec, int64_t dim, Rng& rng);

/// The kernel `kind` with `options` as written by `LearnedKernel::options_json`.
std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& kind,
                                                   const nlohmann::json& options, int64_t dim,
                                                   Rng& rng);

/// Writes `kernel` (parameters, buffers, options and the target it was trained for) to `path`
/// atomically, adding what `extra` writes (a trainer's resumable state).
void save_learned_kernel(
    const std::string& path, LearnedKernel& kernel,
    const std::function<void(torch::serialize::OutputArchive&)>& extra = nullptr);

/// Reads a model file written by `save_learned_kernel` into `archive` and rebuilds the kernel.
/// Throws InputError naming the file when it is missing, not an ebmc model, or corrupt.
std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path,
                                                   torch::serialize::InputArchive& archive);
/// The same, for callers that need nothing else from the file.
std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path);

/// One line per learned kernel: its spec syntax and what it is.
std::vector<std::string> learned_sampler_catalogue();

}  // namespace ebmc
