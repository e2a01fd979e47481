#pragma once
/// @file runner.h
/// The chain runner: warmup, draws, thinning, callbacks and cost accounting.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "ebmc/core/cost.h"
#include "ebmc/core/kernel.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// How long to run and what to keep.
///
///     auto options = ebmc::RunOptions().warmup(500).draws(2000).thin(2);
struct RunOptions {
  /// Throws InputError naming the offending option.
  void validate() const;
  TORCH_ARG(int64_t, warmup) = 1000;  ///< transitions before the first kept draw
  TORCH_ARG(int64_t, draws) = 1000;   ///< kept draws per chain
  TORCH_ARG(int64_t, thin) = 1;       ///< keep every `thin`-th transition after warmup
};

/// Which part of a run a transition belongs to.
enum class Phase { kWarmup, kSampling };

/// Everything a run produced.
struct RunResult {
  torch::Tensor draws;  ///< [draws, chains, k], float64: what the monitor records (x by default)
  double accept_rate = 0.0;          ///< mean acceptance probability over the sampling phase
  int64_t nonfinite = 0;             ///< non-finite proposals rejected over the whole run
  int64_t warmup_divergences = 0;    ///< divergent transitions during warmup
  int64_t sampling_divergences = 0;  ///< divergent transitions after warmup (Stan reports these)
  int64_t sampling_flips = 0;        ///< discrete kernels: sites changed after warmup
  double step_size = 0.0;            ///< kernel step size at the end (NaN if it has none)
  CostCounters warmup_cost;          ///< spent during warmup
  CostCounters sampling_cost;        ///< spent during sampling

  /// Warmup plus sampling.
  CostCounters total_cost() const {
    CostCounters total = warmup_cost;
    total += sampling_cost;
    return total;
  }
};

/// Hooks the runner calls; override only what you need.
class RunCallback {
 public:
  virtual ~RunCallback() = default;
  /// Before the first transition, with the initial state.
  virtual void on_start(const RunOptions& /*options*/, const State& /*initial*/) {}
  /// After every transition; `iteration` counts from 0 within its phase.
  virtual void on_transition(Phase /*phase*/, int64_t /*iteration*/, const State& /*state*/,
                             const Info& /*info*/) {}
  /// After every kept draw with what the monitor recorded, [chains, k]; `draw` counts from 0.
  virtual void on_draw(int64_t /*draw*/, const torch::Tensor& /*recorded*/) {}
  /// After the last transition.
  virtual void on_finish(const RunResult& /*result*/) {}
};

/// What the runner records at every kept draw: [chains, k] statistics of a state. An empty
/// monitor records the state itself (continuous targets); discrete runs record summary
/// statistics such as the Hamming distance to a reference state and the energy.
using Monitor = std::function<torch::Tensor(const State&)>;

/// Runs an already initialized `kernel` from `initial`: `warmup` transitions, then
/// `draws * thin` transitions keeping every `thin`-th (recorded by `monitor`), calling each
/// callback along the way. The evaluations that produced `initial` count as warmup cost.
RunResult run_chains(TransitionKernel& kernel, State initial, Rng& rng, const RunOptions& options,
                     const std::vector<RunCallback*>& callbacks = {}, const Monitor& monitor = {});

/// Runs `kernel` on `target` from `x0` [chains, dim]: `warmup` transitions, then
/// `draws * thin` transitions keeping every `thin`-th, calling each callback along the way.
///
///     ebmc::Rng rng(1);
///     ebmc::RunResult run = ebmc::run_chains(kernel, target, x0, rng, ebmc::RunOptions());
///     // run.draws has shape [1000, chains, dim]
RunResult run_chains(Kernel& kernel, const Target& target, const torch::Tensor& x0, Rng& rng,
                     const RunOptions& options, const std::vector<RunCallback*>& callbacks = {});

}  // namespace ebmc
