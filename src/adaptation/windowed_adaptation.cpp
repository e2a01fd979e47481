#include "ebmc/adaptation/windowed_adaptation.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void AdaptationOptions::validate() const {
  step_size().validate();
  if (init_buffer() < 0 || term_buffer() < 0 || base_window() < 1) {
    throw InputError("buffers must be >= 0 and the base window >= 1", "adapt");
  }
}

AdaptationSchedule AdaptationSchedule::make(int64_t warmup, const AdaptationOptions& options) {
  AdaptationSchedule s;
  if (warmup < 20) {
    // Too short for metric windows: step size only.
    s.init_buffer = warmup;
    return s;
  }
  int64_t init_buffer = options.init_buffer();
  int64_t term_buffer = options.term_buffer();
  int64_t window = options.base_window();
  if (init_buffer + window + term_buffer > warmup) {
    init_buffer = static_cast<int64_t>(0.15 * static_cast<double>(warmup));
    term_buffer = static_cast<int64_t>(0.1 * static_cast<double>(warmup));
    window = warmup - (init_buffer + term_buffer);
  }
  s.init_buffer = init_buffer;
  s.term_buffer = term_buffer;
  const int64_t last_end = warmup - term_buffer - 1;
  int64_t end = init_buffer + window - 1;
  while (true) {
    s.window_ends.push_back(end);
    if (end == last_end) break;
    window *= 2;
    end = end + window;
    // Stretch the next window to the end if the one after it would not fit.
    if (end != last_end && end + 2 * window >= warmup - term_buffer) end = last_end;
    if (end > last_end) end = last_end;
  }
  return s;
}

bool AdaptationSchedule::in_window(int64_t it, int64_t warmup) const {
  return !window_ends.empty() && it >= init_buffer && it < warmup - term_buffer;
}

void find_reasonable_step_size(TunableKernel& kernel, const State& state, Rng& rng) {
  const double log_target = std::log(0.8);
  // Stan's search (double or halve until the acceptance of one leapfrog step crosses 0.8), but
  // scale-free: a target in large units needs a large step, so the search goes as far as
  // doubles do. Only a step beyond 1e250 that is still accepted — a target flat or falling
  // without bound at every scale — is refused as improper.
  constexpr double kImproperStep = 1e250;
  rng.next_transition();  // fresh per-chain streams: the last transition's use does not carry over
  torch::Tensor step = kernel.current_tuning().step_size.clone();
  const torch::Tensor up = kernel.probe_log_accept(state, step, rng) > log_target;
  torch::Tensor done = torch::zeros_like(up);
  for (int iteration = 0; iteration < 1000; ++iteration) {
    const torch::Tensor log_accept = kernel.probe_log_accept(state, step, rng);
    done |= (up & ~(log_accept > log_target)) | (~up & ~(log_accept < log_target));
    if (done.all().item<bool>()) break;
    step = torch::where(done, step, torch::where(up, 2.0 * step, 0.5 * step));
    const torch::Tensor runaway = up & ~done & (step > kImproperStep);
    if (runaway.any().item<bool>()) {
      const int64_t chain = runaway.nonzero()[0][0].item<int64_t>();
      throw InputError("one leapfrog step of size 1e250 is still accepted with probability above "
                       "0.8 (chain " + std::to_string(chain + 1) +
                           "): the target looks improper (flat, or its energy unbounded below)",
                       kernel.name());
    }
  }
  kernel.update_tuning({step.clamp_min(1e-12), kernel.current_tuning().inverse_metric});
}

WindowedAdaptation::WindowedAdaptation(std::shared_ptr<TunableKernel> kernel,
                                       AdaptationOptions options)
    : kernel_(std::move(kernel)), options_(options) {
  options_.validate();
}

Tuning WindowedAdaptation::run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) {
  TunableKernel& kernel = *kernel_;
  AdaptationSchedule schedule = AdaptationSchedule::make(warmup, options_);
  if (!options_.adapt_metric()) schedule.window_ends.clear();
  if (warmup == 0) return kernel.current_tuning();
  DualAveraging dual_averaging(options_.step_size());
  find_reasonable_step_size(kernel, state, rng);
  dual_averaging.restart(kernel.current_tuning().step_size);
  size_t next_window = 0;
  // Welford accumulators of the current window, per chain.
  int64_t count = 0;
  torch::Tensor mean, m2;
  const auto set_step_size = [&kernel](torch::Tensor step_size) {
    kernel.update_tuning({std::move(step_size), kernel.current_tuning().inverse_metric});
  };
  for (int64_t iteration = 0; iteration < warmup; ++iteration) {
    const Info info = step(state);
    set_step_size(dual_averaging.update(info.accept_prob));
    if (schedule.in_window(iteration, warmup)) {
      // Welford's running mean and sum of squared deviations, per chain and coordinate.
      ++count;
      if (count == 1) {
        mean = state.x.clone();
        m2 = torch::zeros_like(state.x);
      } else {
        const torch::Tensor delta = state.x - mean;
        mean += delta / static_cast<double>(count);
        m2 += delta * (state.x - mean);
      }
    }
    if (next_window < schedule.window_ends.size() &&
        iteration == schedule.window_ends[next_window]) {
      ++next_window;
      const double n = static_cast<double>(count);
      if (count >= 2) {
        const torch::Tensor variance = m2 / (n - 1.0);
        kernel.update_tuning({kernel.current_tuning().step_size,
                              (n / (n + 5.0)) * variance + 1e-3 * (5.0 / (n + 5.0))});
      }
      count = 0;
      find_reasonable_step_size(kernel, state, rng);
      dual_averaging.restart(kernel.current_tuning().step_size);
    }
  }
  set_step_size(dual_averaging.final_step_size());
  return kernel.current_tuning();
}

Sampler adapted_sampler(std::shared_ptr<TunableKernel> kernel, const AdaptationOptions& options) {
  std::shared_ptr<Adaptation> adaptation;
  if (options.adapt()) adaptation = std::make_shared<WindowedAdaptation>(kernel, options);
  return {std::move(kernel), std::move(adaptation)};
}

}  // namespace ebmc
