#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "ebmc/core/cost.h"
#include "ebmc/core/registry.h"
#include "ebmc/diagnostics/efficiency.h"
#include "ebmc/io/summary_report.h"
#include "ebmc/samplers/hmc.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/targets/registry.h"
#include "experiments.h"
#include "measurement.h"

namespace ebmc::bench {

namespace {

void print_row(const Measurement& m, const std::string& label, double hmc_per_grad) {
  std::printf("%-16s %-44s %6.3f %9.1f %10lld %8.2f %10.1f %12.4f %7.2fx %5lld\n", m.target.c_str(),
              label.c_str(), m.accept, m.efficiency.min_ess_bulk,
              static_cast<long long>(m.cost.gradient_evals), m.cost.wall_seconds,
              m.efficiency.ess_per_second, m.efficiency.ess_per_gradient_eval,
              m.efficiency.ess_per_gradient_eval / hmc_per_grad,
              static_cast<long long>(m.divergences));
}

/// Seconds per HMC transition through the runner versus the same number of bare batched
/// energy-and-gradient evaluations, at `chains` chains.
nlohmann::json overhead(const std::string& target_spec, int64_t chains, int64_t transitions) {
  std::unique_ptr<Target> target = make_target(target_spec);
  const int64_t steps = 10;
  Rng rng(1);
  torch::Tensor x = 0.1 * rng.normal({chains, target->dim()});
  torch::NoGradGuard no_grad;
  target->energy_and_grad(x);  // warm caches
  Stopwatch bare_clock;
  for (int64_t i = 0; i < transitions * steps; ++i) target->energy_and_grad(x);
  const double bare = bare_clock.seconds();
  Hmc hmc(HmcOptions().step_size(0.01).num_steps(steps).jitter(0.0));
  Stopwatch run_clock;
  run_chains(hmc, *target, x, rng, RunOptions().warmup(0).draws(transitions));
  const double full = run_clock.seconds();
  std::printf(
      "%-16s %6lld chains: bare energy+gradient %8.2f ms/transition, HMC kernel + runner "
      "%8.2f ms/transition, overhead %5.1f%%\n",
      target_spec.c_str(), static_cast<long long>(chains),
      1e3 * bare / static_cast<double>(transitions), 1e3 * full / static_cast<double>(transitions),
      100.0 * (full / bare - 1.0));
  return {{"target", target_spec},
          {"chains", chains},
          {"bare_ms_per_transition", 1e3 * bare / static_cast<double>(transitions)},
          {"kernel_runner_ms_per_transition", 1e3 * full / static_cast<double>(transitions)},
          {"overhead_percent", 100.0 * (full / bare - 1.0)}};
}

/// The runner's fixed cost per transition (everything outside `kernel.step`: recording draws and
/// statistics, costs, callbacks) against the kernel's own time, for adapted NUTS on
/// `target_spec` with per-chain streams as `ebmc sample` runs it.
nlohmann::json runner_overhead(const std::string& target_spec, int64_t chains, int64_t draws,
                               uint64_t seed) {
  std::unique_ptr<Target> target = make_target(target_spec);
  Rng rng(seed, ChainStreams{0, chains});
  const torch::Tensor x0 = uniform_inits(chains, target->dim(), 2.0, rng);
  Sampler nuts = make_sampler("nuts");
  // No callback: the runner itself separates the kernel's time from its own.
  const RunResult run = run_sampler(nuts, *target, x0, rng, RunOptions().warmup(1000).draws(draws));
  const double n = static_cast<double>(draws);
  const double kernel_us = 1e6 * run.sampling_kernel_seconds / n;
  const double runner_us = 1e6 * (run.sampling_cost.wall_seconds - run.sampling_kernel_seconds) / n;
  std::printf(
      "%-22s %2lld chain(s): kernel %8.2f us/transition, runner %6.2f us/transition, "
      "overhead %5.1f%%\n",
      target_spec.c_str(), static_cast<long long>(chains), kernel_us, runner_us,
      100.0 * runner_us / kernel_us);
  return {{"target", target_spec},
          {"chains", chains},
          {"kernel_us_per_transition", kernel_us},
          {"runner_us_per_transition", runner_us},
          {"overhead_percent", 100.0 * runner_us / kernel_us}};
}

/// Every registered sampler that adapts during warmup (an `adapt` option), except HMC, whose
/// grid is the baseline: a newly registered gradient sampler joins the benchmark by itself.
std::vector<std::string> adaptive_samplers() {
  std::vector<std::string> names;
  for (const ComponentInfo& info : components(ComponentKind::kSampler)) {
    const bool adapts = std::any_of(info.options.begin(), info.options.end(),
                                    [](const OptionDoc& o) { return o.name == "adapt"; });
    if (adapts && info.name != "hmc") names.push_back(info.name);
  }
  return names;
}

}  // namespace

nlohmann::json run_classical_bench(const BenchOptions& options) {
  const int64_t warmup = options.quick ? 150 : 1000;
  const int64_t draws = options.quick ? 200 : 2000;
  const std::vector<std::string> targets = {"icg", "scg", "funnel3", "blr:data=german"};
  nlohmann::json results = nlohmann::json::array();
  std::printf(
      "min bulk-ESS over parameters; %lld chains, %lld warmup + %lld draws each; "
      "seconds and gradient evaluations of the sampling phase\n",
      static_cast<long long>(options.chains), static_cast<long long>(warmup),
      static_cast<long long>(draws));
  std::printf("%-16s %-44s %6s %9s %10s %8s %10s %12s %8s %5s\n", "target", "sampler", "accept",
              "ess_bulk", "grad_evals", "seconds", "ess/s", "ess/grad", "vs HMC", "div");
  for (const std::string& spec : targets) {
    std::unique_ptr<Target> target = make_target(spec);
    // HMC: the best of the grid, by ESS per gradient evaluation, as the papers report.
    Measurement best = best_hmc(spec, *target, options, warmup, draws, "", results);
    const double baseline = best.efficiency.ess_per_gradient_eval;
    print_row(best, best.sampler + " (best)", baseline);
    for (const std::string& sampler : adaptive_samplers()) {
      Measurement m = measure(spec, *target, sampler, options, warmup, draws);
      results.push_back(to_json(m));
      print_row(m, sampler, baseline);
    }
    std::fflush(stdout);
  }
  std::printf(
      "\nOverhead of kernel + runner over bare batched energy+gradient evaluation "
      "(HMC, 10 leapfrog steps per transition):\n");
  nlohmann::json overheads = nlohmann::json::array();
  const int64_t transitions = options.quick ? 5 : 50;
  for (const std::string spec : {"icg", "blr:data=german"}) {
    overheads.push_back(overhead(spec, 1024, transitions));
  }
  std::printf(
      "\nFixed cost per NUTS transition outside the kernel (runner, recording, statistics) "
      "against the kernel's own time, funnel d=10 sigma=3, after warmup:\n");
  nlohmann::json per_transition = nlohmann::json::array();
  for (const int64_t chains : {int64_t{1}, int64_t{4}}) {
    per_transition.push_back(
        runner_overhead("funnel:d=10,sigma=3", chains, options.quick ? 2000 : 20000, options.seed));
  }
  return {{"runs", results}, {"overhead", overheads}, {"runner_overhead", per_transition}};
}

}  // namespace ebmc::bench
