#pragma once
/// @file runner.h
/// The chain runner: warmup, draws, thinning, callbacks and cost accounting.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
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
  /// Global index of this run's first chain (`--chain-offset`): outputs number chains from
  /// `first_chain + 1`, and a per-chain `Rng` made for the run should start its streams here.
  TORCH_ARG(int64_t, first_chain) = 0;
  /// False: the kept draws go only to the callbacks (e.g. streamed to a CSV file) and
  /// `RunResult::draws` stays empty, [0, chains, k]; the statistics are kept either way.
  TORCH_ARG(bool, keep_draws) = true;
};

/// Which part of a run a transition belongs to.
enum class Phase { kWarmup, kSampling };

/// Everything a run produced.
struct RunResult {
  torch::Tensor draws;  ///< [draws, chains, k], float64: what the monitor records (x by default)
  /// `lp__`, `accept_stat__`, then the kernel's `stat_names()`: the columns of `stats`.
  std::vector<std::string> stat_names;
  torch::Tensor stats;       ///< [draws, chains, stat_names.size()], float64
  double accept_rate = 0.0;  ///< mean acceptance probability over the sampling phase
  int64_t nonfinite = 0;     ///< non-finite proposals rejected over the whole run
  /// The state carries a gradient and it was exactly zero at the start and at every kept draw
  /// (an energy detached from its input).
  bool gradient_always_zero = false;
  /// Sums over chains and transitions of each kernel statistic (e.g. `divergent__`, `flips__`),
  /// per phase, over every transition (also those thinned away).
  std::map<std::string, double> warmup_totals, sampling_totals;
  /// The kernel's `stat_limits()`, for the run warnings.
  std::map<std::string, double> stat_limits;
  /// The acceptance statistic warmup adaptation aimed for (none when no adaptation ran).
  std::optional<double> target_accept;
  double step_size = 0.0;        ///< kernel step size at the end (NaN if it has none)
  std::optional<Tuning> tuning;  ///< the kernel's tuning after warmup (none if it has none)
  /// SIGINT/SIGTERM stopped the run early: `draws` and `stats` hold the draws kept until then
  /// (none when it stopped during warmup).
  bool interrupted = false;
  CostCounters warmup_cost;    ///< spent during warmup
  CostCounters sampling_cost;  ///< spent during sampling
  /// Of `sampling_cost.wall_seconds`, the time spent inside the kernel's steps; the rest is the
  /// runner's bookkeeping (recording, statistics, callbacks).
  double sampling_kernel_seconds = 0.0;

  /// Warmup plus sampling.
  CostCounters total_cost() const {
    CostCounters total = warmup_cost;
    total += sampling_cost;
    return total;
  }
  /// The sampling-phase total of statistic `name`; 0 when the kernel does not report it.
  double sampling_total(const std::string& name) const {
    auto it = sampling_totals.find(name);
    return it == sampling_totals.end() ? 0.0 : it->second;
  }
  /// The warmup total of statistic `name`; 0 when the kernel does not report it.
  double warmup_total(const std::string& name) const {
    auto it = warmup_totals.find(name);
    return it == warmup_totals.end() ? 0.0 : it->second;
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
  /// After every kept draw with what the monitor recorded, [chains, k], and the sampler
  /// statistics [chains, RunResult::stat_names.size()]; `draw` counts from 0.
  virtual void on_draw(int64_t /*draw*/, const torch::Tensor& /*recorded*/,
                       const torch::Tensor& /*stats*/) {}
  /// After the last transition.
  virtual void on_finish(const RunResult& /*result*/) {}
};

/// What the runner records at every kept draw: [chains, k] statistics of a state. An empty
/// monitor records the state itself (continuous targets); discrete runs record summary
/// statistics such as the Hamming distance to a reference state and the energy.
using Monitor = std::function<torch::Tensor(const State&)>;

/// The run recipe every sampler goes through (continuous, discrete, learned; the CLI and the
/// experiments alike). From an already initialized `kernel` at `initial`: `warmup` transitions
/// (run by `adaptation` when given, which tunes the kernel and returns its Tuning), then
/// `draws * thin` transitions keeping every `thin`-th (what `monitor` records, plus the sampler
/// statistics), calling each callback along the way and counting costs per phase. The
/// evaluations that produced `initial` count as warmup cost.
RunResult run_chains(TransitionKernel& kernel, State initial, Rng& rng, const RunOptions& options,
                     const std::vector<RunCallback*>& callbacks = {}, const Monitor& monitor = {},
                     Adaptation* adaptation = nullptr);

/// Binds `kernel` to `target` at `x0` [chains, dim] (its init time counts as warmup) and runs
/// the recipe above.
///
///     ebmc::Rng rng(1);
///     ebmc::RunResult run = ebmc::run_chains(kernel, target, x0, rng, ebmc::RunOptions());
///     // run.draws has shape [1000, chains, dim]
RunResult run_chains(Kernel& kernel, const Target& target, const torch::Tensor& x0, Rng& rng,
                     const RunOptions& options, const std::vector<RunCallback*>& callbacks = {},
                     Adaptation* adaptation = nullptr);

/// Runs a registry-built sampler: with `tuning` given, the kernel uses it and warmup does not
/// adapt; otherwise its adaptation (if any) runs warmup.
///
///     ebmc::Sampler nuts = ebmc::make_sampler("nuts:target_accept=0.9");
///     ebmc::RunResult run = ebmc::run_sampler(nuts, target, x0, rng, ebmc::RunOptions());
RunResult run_sampler(Sampler& sampler, const Target& target, const torch::Tensor& x0, Rng& rng,
                      const RunOptions& options, const std::vector<RunCallback*>& callbacks = {},
                      const std::optional<Tuning>& tuning = std::nullopt);

/// The sampler statistics a run records for `kernel`: `lp__`, `accept_stat__`, then the
/// kernel's own `stat_names()`.
std::vector<std::string> run_stat_names(const TransitionKernel& kernel);

/// The row of sampler statistics of one transition, [chains, 2 + k] float64: −U of `state`
/// (`lp__`), `info.accept_prob` (`accept_stat__`), then the kernel's `info.stats` in order.
torch::Tensor sampler_stats_row(const State& state, const Info& info);

/// Stan-style initial values: uniform on (−radius, radius) in every coordinate, [chains, dim].
torch::Tensor uniform_inits(int64_t chains, int64_t dim, double radius, Rng& rng);

}  // namespace ebmc
