#pragma once
/// @file warmup_adaptation.h
/// Stan's warmup: dual-averaging step size plus a diagonal metric estimated in doubling windows.

#include <torch/torch.h>

#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/samplers/dual_averaging.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of warmup adaptation, with Stan's defaults.
struct AdaptationOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  TORCH_ARG(DualAveragingOptions, step_size) = {};
  TORCH_ARG(bool, adapt_metric) = true;  ///< estimate a diagonal metric
  TORCH_ARG(int64_t, init_buffer) = 75;  ///< fast-adaptation iterations before the first window
  TORCH_ARG(int64_t, term_buffer) = 50;  ///< fast-adaptation iterations after the last window
  TORCH_ARG(int64_t, base_window) = 25;  ///< first slow window; each next one doubles
};

/// The iterations (0-based, within warmup) at which Stan's slow windows end: windows of
/// base, 2·base, 4·base … after `init_buffer`, the last one stretched to end `term_buffer`
/// iterations before the end of warmup. Buffers shrink to 15% / 10% when warmup is short; no
/// windows below 20 warmup iterations.
struct AdaptationSchedule {
  int64_t init_buffer = 0;
  int64_t term_buffer = 0;
  std::vector<int64_t> window_ends;

  /// Builds the schedule for `warmup` iterations.
  static AdaptationSchedule make(int64_t warmup, const AdaptationOptions& options);
  /// True when the draw of iteration `it` feeds the metric estimate.
  bool in_window(int64_t it, int64_t warmup) const;
};

/// Finds a step size where one elementary move's acceptance crosses 0.8 by doubling or halving
/// from the current one, per chain (Stan's init_stepsize). Writes the result into the kernel's
/// tuning.
void find_reasonable_step_size(TunableKernel& kernel, const State& state, Rng& rng);

/// A run callback that tunes a TunableKernel during warmup exactly as Stan's adaptive samplers:
/// dual averaging of the step size towards the target acceptance statistic every iteration; in
/// each slow window the per-chain variance of the draws (Welford) becomes the inverse metric,
/// regularized as (n/(n+5))·var + 1e-3·(5/(n+5)), after which the step size is re-initialized
/// and dual averaging restarts with μ = log(10ε). At the end of warmup the step size is set to
/// the dual-averaging average exp(x̄).
///
///     ebmc::Nuts nuts;
///     ebmc::WarmupAdaptation adapt(nuts, rng);
///     ebmc::run_chains(nuts, target, x0, rng, options, {&adapt});
class WarmupAdaptation : public RunCallback {
 public:
  WarmupAdaptation(TunableKernel& kernel, Rng& rng, AdaptationOptions options = {});

  void on_start(const RunOptions& options, const State& initial) override;
  void on_transition(Phase phase, int64_t iteration, const State& state, const Info& info) override;

  const AdaptationSchedule& schedule() const { return schedule_; }

 private:
  TunableKernel& kernel_;
  Rng& rng_;
  AdaptationOptions options_;
  DualAveraging dual_averaging_;
  AdaptationSchedule schedule_;
  int64_t warmup_ = 0;
  size_t next_window_ = 0;
  // Welford accumulators of the current window, per chain.
  int64_t count_ = 0;
  torch::Tensor mean_, m2_;
};

}  // namespace ebmc
