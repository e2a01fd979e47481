#include "ebmc/samplers/warmup_adaptation.h"

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
  torch::Tensor step = kernel.tuning().step_size.clone();
  const torch::Tensor up = kernel.probe_log_accept(state, step, rng) > log_target;
  torch::Tensor done = torch::zeros_like(up);
  for (int iteration = 0; iteration < 100; ++iteration) {
    const torch::Tensor log_accept = kernel.probe_log_accept(state, step, rng);
    done |= (up & ~(log_accept > log_target)) | (~up & ~(log_accept < log_target));
    if (done.all().item<bool>()) break;
    step = torch::where(done, step, torch::where(up, 2.0 * step, 0.5 * step));
    if ((step > 1e7).any().item<bool>()) {
      throw InputError("step size grew beyond 1e7 while tuning: the target looks improper",
                       kernel.name());
    }
  }
  kernel.tuning().step_size = step.clamp_min(1e-12);
}

WarmupAdaptation::WarmupAdaptation(TunableKernel& kernel, Rng& rng, AdaptationOptions options)
    : kernel_(kernel), rng_(rng), options_(options), dual_averaging_(options.step_size()) {
  options_.validate();
}

void WarmupAdaptation::on_start(const RunOptions& options, const State& initial) {
  warmup_ = options.warmup();
  schedule_ = AdaptationSchedule::make(warmup_, options_);
  if (!options_.adapt_metric()) schedule_.window_ends.clear();
  next_window_ = 0;
  count_ = 0;
  if (warmup_ == 0) return;
  find_reasonable_step_size(kernel_, initial, rng_);
  dual_averaging_.restart(kernel_.tuning().step_size);
}

void WarmupAdaptation::on_transition(Phase phase, int64_t iteration, const State& state,
                                     const Info& info) {
  if (phase != Phase::kWarmup) return;
  kernel_.tuning().step_size = dual_averaging_.update(info.accept_prob);
  if (schedule_.in_window(iteration, warmup_)) {
    // Welford's running mean and sum of squared deviations, per chain and coordinate.
    ++count_;
    if (count_ == 1) {
      mean_ = state.x.clone();
      m2_ = torch::zeros_like(state.x);
    } else {
      const torch::Tensor delta = state.x - mean_;
      mean_ += delta / static_cast<double>(count_);
      m2_ += delta * (state.x - mean_);
    }
  }
  if (next_window_ < schedule_.window_ends.size() &&
      iteration == schedule_.window_ends[next_window_]) {
    ++next_window_;
    const double n = static_cast<double>(count_);
    if (count_ >= 2) {
      const torch::Tensor variance = m2_ / (n - 1.0);
      kernel_.tuning().metric.inverse = (n / (n + 5.0)) * variance + 1e-3 * (5.0 / (n + 5.0));
    }
    count_ = 0;
    find_reasonable_step_size(kernel_, state, rng_);
    dual_averaging_.restart(kernel_.tuning().step_size);
  }
  if (iteration == warmup_ - 1) kernel_.tuning().step_size = dual_averaging_.final_step_size();
}

}  // namespace ebmc
