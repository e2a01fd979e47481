#pragma once
/// @file warmup_adaptation.h
/// Stan's warmup: dual-averaging step size plus a diagonal metric estimated in doubling windows.

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "ebmc/adaptation/dual_averaging.h"
#include "ebmc/core/kernel.h"
#include "ebmc/core/options.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Which metric warmup estimates.
enum class MetricKind { kDiag, kUnit };

/// Options of warmup adaptation, with Stan's defaults. `adapt`, `target_accept` and `metric` are
/// the spec options of every adapting sampler (`nuts:target_accept=0.9,metric=unit`).
struct AdaptationOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("adapt", adapt(), "tune the step size (and metric) during warmup");
    v.field("target_accept", step_size().target_accept(),
            "acceptance statistic dual averaging aims for");
    v.choice("metric", metric(), {"diag", "unit"}, "diag: estimate a diagonal metric in windows");
    v.field("init_buffer", init_buffer(), "warmup iterations before the first metric window");
    v.field("term_buffer", term_buffer(), "warmup iterations after the last metric window");
    v.field("window", base_window(), "first metric window (each next one doubles)");
  }
  /// With `metric` = diag: the metric is estimated.
  bool adapt_metric() const { return metric() == MetricKind::kDiag; }
  /// The same options with another target acceptance (the default differs by sampler).
  AdaptationOptions with_target_accept(double target) const {
    AdaptationOptions copy = *this;
    copy.step_size().target_accept(target);
    return copy;
  }
  TORCH_ARG(bool, adapt) = true;  ///< false: warmup runs the kernel as it is
  TORCH_ARG(DualAveragingOptions, step_size) = {};
  TORCH_ARG(MetricKind, metric) = MetricKind::kDiag;
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

/// Stan's warmup for a TunableKernel, as an algorithm that returns its result: dual averaging of
/// the step size towards the target acceptance statistic every iteration; in each slow window
/// the per-chain variance of the draws (Welford) becomes the inverse metric, regularized as
/// (n/(n+5))·var + 1e-3·(5/(n+5)), after which the step size is re-initialized and dual
/// averaging restarts with μ = log(10ε). At the end of warmup the step size is the
/// dual-averaging average exp(x̄); `run` returns that tuning (the kernel keeps it).
///
///     auto nuts = std::make_shared<ebmc::Nuts>();
///     ebmc::WindowedAdaptation adapt(nuts, ebmc::AdaptationOptions());
///     ebmc::run_chains(*nuts, target, x0, rng, options, {}, &adapt);
class WindowedAdaptation : public Adaptation {
 public:
  WindowedAdaptation(std::shared_ptr<TunableKernel> kernel, AdaptationOptions options);

  Tuning run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) override;
  std::optional<double> target_accept() const override {
    return options_.step_size().target_accept();
  }

 private:
  std::shared_ptr<TunableKernel> kernel_;
  AdaptationOptions options_;
};

/// The sampler of `kernel` with Stan's warmup unless `options.adapt()` is off: what the
/// registrations of MALA, Barker, HMC and NUTS return.
Sampler adapted_sampler(std::shared_ptr<TunableKernel> kernel, const AdaptationOptions& options);

}  // namespace ebmc
