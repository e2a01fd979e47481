#include "ebmc/core/runner.h"

#include "ebmc/core/errors.h"

namespace ebmc {

void RunOptions::validate() const {
  if (warmup() < 0) throw InputError("warmup must be >= 0", "--warmup");
  if (draws() < 1) throw InputError("draws must be >= 1", "--draws");
  if (thin() < 1) throw InputError("thin must be >= 1", "--thin");
}

namespace {

void add_step_cost(CostCounters& cost, const Info& info) {
  cost.energy_evals += info.energy_evals;
  cost.gradient_evals += info.gradient_evals;
}

Info timed_step(TransitionKernel& kernel, State& state, Rng& rng) {
  Stopwatch clock;
  Info info = kernel.step(state, rng);
  info.seconds = clock.seconds();
  return info;
}

int64_t count_divergences(const Info& info) {
  return info.divergent.defined() ? info.divergent.sum().item<int64_t>() : 0;
}

}  // namespace

RunResult run_chains(TransitionKernel& kernel, State initial, Rng& rng, const RunOptions& options,
                     const std::vector<RunCallback*>& callbacks, const Monitor& monitor) {
  options.validate();
  torch::NoGradGuard no_grad;
  RunResult result;
  State state = std::move(initial);
  const auto record = [&monitor](const State& s) { return monitor ? monitor(s) : s.x; };
  Stopwatch warmup_clock;
  result.warmup_cost.energy_evals += state.chains();
  if (state.grad.defined()) result.warmup_cost.gradient_evals += state.chains();
  const int64_t chains = state.chains();
  for (RunCallback* callback : callbacks) callback->on_start(options, state);

  for (int64_t it = 0; it < options.warmup(); ++it) {
    Info info = timed_step(kernel, state, rng);
    add_step_cost(result.warmup_cost, info);
    result.nonfinite += info.nonfinite;
    result.warmup_divergences += count_divergences(info);
    for (RunCallback* callback : callbacks)
      callback->on_transition(Phase::kWarmup, it, state, info);
  }
  result.warmup_cost.wall_seconds = warmup_clock.seconds();

  Stopwatch sampling_clock;
  const torch::Tensor first = record(state);
  result.draws = torch::empty({options.draws(), chains, first.size(1)}, torch::kFloat64);
  torch::Tensor accept_sum = torch::zeros({chains}, torch::kFloat64);
  const int64_t transitions = options.draws() * options.thin();
  for (int64_t it = 0; it < transitions; ++it) {
    Info info = timed_step(kernel, state, rng);
    add_step_cost(result.sampling_cost, info);
    result.nonfinite += info.nonfinite;
    result.sampling_divergences += count_divergences(info);
    result.sampling_flips += info.flips;
    accept_sum += info.accept_prob.to(torch::kFloat64);
    for (RunCallback* callback : callbacks) {
      callback->on_transition(Phase::kSampling, it, state, info);
    }
    if ((it + 1) % options.thin() == 0) {
      const int64_t draw = it / options.thin();
      result.draws[draw].copy_(record(state));
      for (RunCallback* callback : callbacks) callback->on_draw(draw, result.draws[draw]);
    }
  }
  result.sampling_cost.wall_seconds = sampling_clock.seconds();
  result.accept_rate = accept_sum.mean().item<double>() / static_cast<double>(transitions);
  result.step_size = kernel.step_size();
  for (RunCallback* callback : callbacks) callback->on_finish(result);
  return result;
}

RunResult run_chains(Kernel& kernel, const Target& target, const torch::Tensor& x0, Rng& rng,
                     const RunOptions& options, const std::vector<RunCallback*>& callbacks) {
  options.validate();
  Stopwatch init_clock;
  State initial = [&] {
    torch::NoGradGuard no_grad;
    return kernel.init(target, x0);
  }();
  const double init_seconds = init_clock.seconds();
  RunResult result = run_chains(kernel, std::move(initial), rng, options, callbacks);
  result.warmup_cost.wall_seconds += init_seconds;
  return result;
}

}  // namespace ebmc
