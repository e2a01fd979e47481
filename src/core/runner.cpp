#include "ebmc/core/runner.h"

#include <cmath>
#include <stdexcept>

#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"

namespace ebmc {

void RunOptions::validate() const {
  if (warmup() < 0) throw InputError("warmup must be >= 0", "--warmup");
  if (draws() < 1) throw InputError("draws must be >= 1", "--draws");
  if (thin() < 1) throw InputError("thin must be >= 1", "--thin");
  if (first_chain() < 0) throw InputError("chain offset must be >= 0", "--chain-offset");
}

namespace {

/// The kernel's statistics of one transition as [chains, k] float64 (undefined when none).
torch::Tensor kernel_stat_columns(const Info& info) {
  if (info.stats.empty()) return {};
  std::vector<torch::Tensor> columns;
  columns.reserve(info.stats.size());
  for (const auto& [name, values] : info.stats) columns.push_back(values.to(torch::kFloat64));
  return torch::stack(columns, 1);
}

/// lp__ and accept_stat__ in front of the kernel's own statistics, [chains, 2 + k].
torch::Tensor stats_row(const State& state, const Info& info, const torch::Tensor& kernel_stats) {
  std::vector<torch::Tensor> parts = {-state.energy.to(torch::kFloat64).unsqueeze(1),
                                      info.accept_prob.to(torch::kFloat64).unsqueeze(1)};
  if (kernel_stats.defined()) parts.push_back(kernel_stats);
  return torch::cat(parts, 1);
}

/// One phase's bookkeeping: costs, non-finite rejections and the running sums of the kernel's
/// statistics.
class PhaseAccount {
 public:
  PhaseAccount(CostCounters& cost, int64_t& nonfinite, const std::vector<std::string>& names)
      : cost_(cost), nonfinite_(nonfinite), names_(names) {}

  /// Counts `info` and returns the kernel's statistics as [chains, k] float64 (undefined for
  /// kernels without statistics).
  torch::Tensor add(const Info& info) {
    cost_.energy_evals += info.energy_evals;
    cost_.gradient_evals += info.gradient_evals;
    nonfinite_ += info.nonfinite;
    if (names_.empty()) return {};
    if (info.stats.size() != names_.size()) {
      throw std::logic_error("kernel reported " + std::to_string(info.stats.size()) +
                             " statistics, declared " + std::to_string(names_.size()));
    }
    for (size_t k = 0; k < names_.size(); ++k) {
      if (info.stats[k].first != names_[k]) {
        throw std::logic_error("kernel statistic '" + info.stats[k].first + "' reported where '" +
                               names_[k] + "' was declared");
      }
    }
    torch::Tensor row = kernel_stat_columns(info);
    const torch::Tensor sums = row.sum(0);
    totals_ = totals_.defined() ? totals_ + sums : sums;
    return row;
  }

  /// The totals by name.
  std::map<std::string, double> totals() const {
    std::map<std::string, double> out;
    for (size_t k = 0; k < names_.size(); ++k) {
      out[names_[k]] = totals_.defined() ? totals_[static_cast<int64_t>(k)].item<double>() : 0.0;
    }
    return out;
  }

 private:
  CostCounters& cost_;
  int64_t& nonfinite_;
  const std::vector<std::string>& names_;
  torch::Tensor totals_;
};

/// Thrown out of an adaptation's warmup loop when an interrupt was requested.
struct WarmupInterrupted {};

Info timed_step(TransitionKernel& kernel, State& state, Rng& rng) {
  Stopwatch clock;
  rng.next_transition();
  Info info = kernel.step(state, rng);
  info.seconds = clock.seconds();
  return info;
}

}  // namespace

RunResult run_chains(TransitionKernel& kernel, State initial, Rng& rng, const RunOptions& options,
                     const std::vector<RunCallback*>& callbacks, const Monitor& monitor,
                     Adaptation* adaptation) {
  options.validate();
  torch::NoGradGuard no_grad;
  RunResult result;
  State state = std::move(initial);
  const std::vector<std::string> kernel_stats = kernel.stat_names();
  result.stat_names = run_stat_names(kernel);
  const auto record = [&monitor](const State& s) { return monitor ? monitor(s) : s.x; };
  Stopwatch warmup_clock;
  result.warmup_cost.energy_evals += state.chains();
  if (state.grad.defined()) result.warmup_cost.gradient_evals += state.chains();
  const int64_t chains = state.chains();
  for (RunCallback* callback : callbacks) callback->on_start(options, state);

  PhaseAccount warmup_account(result.warmup_cost, result.nonfinite, kernel_stats);
  int64_t warmup_iteration = 0;
  const WarmupStep warmup_step = [&](State& s) {
    if (interrupt_requested()) throw WarmupInterrupted{};
    Info info = timed_step(kernel, s, rng);
    warmup_account.add(info);
    for (RunCallback* callback : callbacks) {
      callback->on_transition(Phase::kWarmup, warmup_iteration, s, info);
    }
    ++warmup_iteration;
    return info;
  };
  result.stat_limits = kernel.stat_limits();
  try {
    if (adaptation != nullptr) {
      result.target_accept = adaptation->target_accept();
      result.tuning = adaptation->run(state, rng, options.warmup(), warmup_step);
      kernel.set_tuning(*result.tuning);
    } else {
      for (int64_t it = 0; it < options.warmup(); ++it) warmup_step(state);
      result.tuning = kernel.tuning();
    }
  } catch (const WarmupInterrupted&) {
    result.interrupted = true;
  }
  result.warmup_totals = warmup_account.totals();
  result.warmup_cost.wall_seconds = warmup_clock.seconds();

  Stopwatch sampling_clock;
  const torch::Tensor first = record(state);
  result.draws = torch::empty({options.keep_draws() ? options.draws() : 0, chains, first.size(1)},
                              torch::kFloat64);
  result.stats = torch::empty(
      {options.draws(), chains, static_cast<int64_t>(result.stat_names.size())}, torch::kFloat64);
  PhaseAccount sampling_account(result.sampling_cost, result.nonfinite, kernel_stats);
  torch::Tensor accept_sum = torch::zeros({chains}, torch::kFloat64);
  const int64_t transitions = result.interrupted ? 0 : options.draws() * options.thin();
  int64_t done = 0, kept = 0;
  for (int64_t it = 0; it < transitions; ++it, ++done) {
    if (interrupt_requested()) {
      result.interrupted = true;
      break;
    }
    Info info = timed_step(kernel, state, rng);
    const torch::Tensor stats = sampling_account.add(info);
    accept_sum += info.accept_prob.to(torch::kFloat64);
    for (RunCallback* callback : callbacks) {
      callback->on_transition(Phase::kSampling, it, state, info);
    }
    if ((it + 1) % options.thin() == 0) {
      const int64_t draw = it / options.thin();
      kept = draw + 1;
      const torch::Tensor recorded =
          options.keep_draws() ? result.draws[draw].copy_(record(state)) : record(state);
      result.stats[draw].copy_(stats_row(state, info, stats));
      for (RunCallback* callback : callbacks) {
        callback->on_draw(draw, recorded, result.stats[draw]);
      }
    }
  }
  result.sampling_totals = sampling_account.totals();
  result.sampling_cost.wall_seconds = sampling_clock.seconds();
  if (result.interrupted) {
    if (options.keep_draws()) result.draws = result.draws.narrow(0, 0, kept);
    result.stats = result.stats.narrow(0, 0, kept);
  }
  result.accept_rate =
      done == 0 ? std::nan("") : accept_sum.mean().item<double>() / static_cast<double>(done);
  result.step_size = kernel.step_size();
  for (RunCallback* callback : callbacks) callback->on_finish(result);
  return result;
}

namespace {

/// Binds `kernel` at `x0` (its init time counts as warmup), applies `tuning` if given, runs.
RunResult init_and_run(Kernel& kernel, const Target& target, const torch::Tensor& x0, Rng& rng,
                       const RunOptions& options, const std::vector<RunCallback*>& callbacks,
                       Adaptation* adaptation, const std::optional<Tuning>& tuning) {
  options.validate();
  Stopwatch init_clock;
  State initial = [&] {
    torch::NoGradGuard no_grad;
    return kernel.init(target, x0);
  }();
  if (tuning) kernel.set_tuning(*tuning);
  const double init_seconds = init_clock.seconds();
  RunResult result =
      run_chains(kernel, std::move(initial), rng, options, callbacks, Monitor(), adaptation);
  result.warmup_cost.wall_seconds += init_seconds;
  return result;
}

}  // namespace

RunResult run_chains(Kernel& kernel, const Target& target, const torch::Tensor& x0, Rng& rng,
                     const RunOptions& options, const std::vector<RunCallback*>& callbacks,
                     Adaptation* adaptation) {
  return init_and_run(kernel, target, x0, rng, options, callbacks, adaptation, std::nullopt);
}

RunResult run_sampler(Sampler& sampler, const Target& target, const torch::Tensor& x0, Rng& rng,
                      const RunOptions& options, const std::vector<RunCallback*>& callbacks,
                      const std::optional<Tuning>& tuning) {
  return init_and_run(*sampler.kernel, target, x0, rng, options, callbacks,
                      tuning ? nullptr : sampler.adaptation.get(), tuning);
}

std::vector<std::string> run_stat_names(const TransitionKernel& kernel) {
  std::vector<std::string> names = {"lp__", "accept_stat__"};
  for (const std::string& name : kernel.stat_names()) names.push_back(name);
  return names;
}

torch::Tensor sampler_stats_row(const State& state, const Info& info) {
  return stats_row(state, info, kernel_stat_columns(info));
}

torch::Tensor uniform_inits(int64_t chains, int64_t dim, double radius, Rng& rng) {
  return (2.0 * rng.uniform({chains, dim}) - 1.0) * radius;
}

}  // namespace ebmc
