#pragma once
/// @file run_sampler.h
/// Running a sampler chosen by name, with its warmup adaptation attached.

#include <torch/torch.h>

#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

/// Runs `setup.kernel` on `target` from `x0` like `run_chains`, adding the warmup adaptation
/// `setup.adaptation` asks for (before `callbacks`, so they see tuned kernels).
///
///     ebmc::SamplerSetup nuts = ebmc::make_sampler("nuts:target_accept=0.9");
///     ebmc::RunResult run = ebmc::run_sampler(nuts, target, x0, rng, ebmc::RunOptions());
RunResult run_sampler(SamplerSetup& setup, const Target& target, const torch::Tensor& x0, Rng& rng,
                      const RunOptions& options, const std::vector<RunCallback*>& callbacks = {});

/// Stan-style initial values: uniform on (−radius, radius) in every coordinate, [chains, dim].
torch::Tensor uniform_inits(int64_t chains, int64_t dim, double radius, Rng& rng);

}  // namespace ebmc
