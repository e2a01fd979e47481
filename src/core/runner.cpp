#include "ebmc/core/runner.h"

#include <algorithm>
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

/// Reads a [chains] tensor of any numeric or bool dtype as doubles into out[c * stride], without
/// temporaries for contiguous CPU tensors (the runner's per-transition bookkeeping).
void read_column(const torch::Tensor& values, double* out, int64_t stride) {
  if (!values.device().is_cpu() || !values.is_contiguous()) {
    read_column(values.to(torch::kCPU, torch::kFloat64).contiguous(), out, stride);
    return;
  }
  const int64_t n = values.numel();
  const auto copy = [&](const auto* in) {
    for (int64_t c = 0; c < n; ++c) out[c * stride] = static_cast<double>(in[c]);
  };
  switch (values.scalar_type()) {
    case torch::kFloat64:
      copy(values.data_ptr<double>());
      break;
    case torch::kFloat32:
      copy(values.data_ptr<float>());
      break;
    case torch::kInt64:
      copy(values.data_ptr<int64_t>());
      break;
    case torch::kInt32:
      copy(values.data_ptr<int32_t>());
      break;
    case torch::kBool:
      copy(values.data_ptr<bool>());
      break;
    default:
      read_column(values.to(torch::kFloat64), out, stride);
  }
}

/// The kernel's statistics of one transition into `out` [chains, k] row-major.
void read_kernel_stats(const Info& info, double* out) {
  const int64_t k = static_cast<int64_t>(info.stats.size());
  for (int64_t j = 0; j < k; ++j)
    read_column(info.stats[static_cast<size_t>(j)].second, out + j, k);
}

/// One phase's bookkeeping: costs, non-finite rejections and the running sums of the kernel's
/// statistics, in plain memory.
class PhaseAccount {
 public:
  PhaseAccount(CostCounters& cost, int64_t& nonfinite, const std::vector<std::string>& names,
               int64_t chains)
      : cost_(cost),
        nonfinite_(nonfinite),
        names_(names),
        totals_(names.size(), 0.0),
        last_(names.size() * static_cast<size_t>(chains), 0.0) {}

  /// Counts `info` and keeps the kernel's statistics of this transition ([chains, k], `last`).
  void add(const Info& info) {
    cost_.energy_evals += info.energy_evals;
    cost_.gradient_evals += info.gradient_evals;
    nonfinite_ += info.nonfinite;
    if (names_.empty()) return;
    if (info.stats.size() != names_.size()) {
      throw std::logic_error("kernel reported " + std::to_string(info.stats.size()) +
                             " statistics, declared " + std::to_string(names_.size()));
    }
    for (size_t j = 0; j < names_.size(); ++j) {
      if (info.stats[j].first != names_[j]) {
        throw std::logic_error("kernel statistic '" + info.stats[j].first + "' reported where '" +
                               names_[j] + "' was declared");
      }
    }
    read_kernel_stats(info, last_.data());
    const size_t k = names_.size();
    for (size_t i = 0; i < last_.size(); ++i) totals_[i % k] += last_[i];
  }

  /// The kernel's statistics of the last transition, [chains, k] row-major.
  const std::vector<double>& last() const { return last_; }

  /// The totals by name.
  std::map<std::string, double> totals() const {
    std::map<std::string, double> out;
    for (size_t k = 0; k < names_.size(); ++k) out[names_[k]] = totals_[k];
    return out;
  }

 private:
  CostCounters& cost_;
  int64_t& nonfinite_;
  const std::vector<std::string>& names_;
  std::vector<double> totals_, last_;
};

/// Writes draw `draw`'s sampler statistics ([chains, 2 + k]: lp__, accept_stat__, the kernel's)
/// into `stats` [draws, chains, 2 + k] in place.
void write_stats_row(torch::Tensor& stats, int64_t draw, const State& state, const Info& info,
                     const std::vector<double>& kernel_stats) {
  const int64_t chains = stats.size(1), width = stats.size(2), k = width - 2;
  double* row = stats.data_ptr<double>() + draw * chains * width;
  read_column(state.energy, row, width);
  read_column(info.accept_prob, row + 1, width);
  for (int64_t c = 0; c < chains; ++c) {
    row[c * width] = -row[c * width];
    std::copy(kernel_stats.begin() + c * k, kernel_stats.begin() + (c + 1) * k,
              row + c * width + 2);
  }
}

/// Copies `x` [chains, dim] into slice `draw` of `draws` [draws, chains, dim].
void write_draw(torch::Tensor& draws, int64_t draw, const torch::Tensor& x) {
  if (x.device().is_cpu() && x.scalar_type() == torch::kFloat64 && x.is_contiguous()) {
    const int64_t size = x.numel();
    std::copy(x.data_ptr<double>(), x.data_ptr<double>() + size,
              draws.data_ptr<double>() + draw * size);
  } else {
    draws[draw].copy_(x);
  }
}

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

  PhaseAccount warmup_account(result.warmup_cost, result.nonfinite, kernel_stats, chains);
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
  // Checked at every kept draw until a nonzero gradient turns up (at once, in a sound model).
  const auto all_zero = [](const torch::Tensor& g) { return !g.ne(0).any().item<bool>(); };
  bool gradient_zero = state.grad.defined() && all_zero(state.grad);
  const torch::Tensor first = record(state);
  result.draws = torch::empty({options.keep_draws() ? options.draws() : 0, chains, first.size(1)},
                              torch::kFloat64);
  result.stats = torch::empty(
      {options.draws(), chains, static_cast<int64_t>(result.stat_names.size())}, torch::kFloat64);
  PhaseAccount sampling_account(result.sampling_cost, result.nonfinite, kernel_stats, chains);
  std::vector<double> accept_sum(static_cast<size_t>(chains), 0.0),
      accept(static_cast<size_t>(chains));
  const int64_t transitions = result.interrupted ? 0 : options.draws() * options.thin();
  int64_t done = 0, kept = 0;
  for (int64_t it = 0; it < transitions; ++it, ++done) {
    if (interrupt_requested()) {
      result.interrupted = true;
      break;
    }
    Info info = timed_step(kernel, state, rng);
    result.sampling_kernel_seconds += info.seconds;
    sampling_account.add(info);
    read_column(info.accept_prob, accept.data(), 1);
    for (int64_t c = 0; c < chains; ++c) accept_sum[c] += accept[c];
    for (RunCallback* callback : callbacks) {
      callback->on_transition(Phase::kSampling, it, state, info);
    }
    if ((it + 1) % options.thin() == 0) {
      const int64_t draw = it / options.thin();
      kept = draw + 1;
      if (gradient_zero) gradient_zero = all_zero(state.grad);
      const torch::Tensor recorded = monitor ? monitor(state) : state.x;
      if (options.keep_draws()) write_draw(result.draws, draw, recorded);
      write_stats_row(result.stats, draw, state, info, sampling_account.last());
      if (callbacks.empty()) continue;
      const torch::Tensor draw_stats = result.stats[draw];
      const torch::Tensor draw_x = options.keep_draws() ? result.draws[draw] : recorded;
      for (RunCallback* callback : callbacks) callback->on_draw(draw, draw_x, draw_stats);
    }
  }
  result.gradient_always_zero = gradient_zero && kept > 0;
  result.sampling_totals = sampling_account.totals();
  result.sampling_cost.wall_seconds = sampling_clock.seconds();
  if (result.interrupted) {
    if (options.keep_draws()) result.draws = result.draws.narrow(0, 0, kept);
    result.stats = result.stats.narrow(0, 0, kept);
  }
  double accept_total = 0.0;
  for (double a : accept_sum) accept_total += a;
  result.accept_rate = done == 0
                           ? std::nan("")
                           : accept_total / static_cast<double>(chains) / static_cast<double>(done);
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
  const int64_t chains = state.chains(), k = static_cast<int64_t>(info.stats.size());
  std::vector<double> kernel_stats(static_cast<size_t>(chains * k));
  read_kernel_stats(info, kernel_stats.data());
  torch::Tensor row = torch::empty({1, chains, 2 + k}, torch::kFloat64);
  write_stats_row(row, 0, state, info, kernel_stats);
  return row[0];
}

torch::Tensor uniform_inits(int64_t chains, int64_t dim, double radius, Rng& rng) {
  return (2.0 * rng.uniform({chains, dim}) - 1.0) * radius;
}

}  // namespace ebmc
