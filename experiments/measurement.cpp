#include "measurement.h"

#include <cmath>
#include <cstdio>

#include "ebmc/io/summary_report.h"
#include "ebmc/samplers/registry.h"

namespace ebmc::bench {

Measurement measure(const std::string& target_spec, const Target& target,
                    const std::string& sampler, const BenchOptions& options, int64_t warmup,
                    int64_t draws, const torch::Tensor& x0) {
  Sampler setup = make_sampler(sampler);
  // Per-chain streams, as `ebmc sample` runs: each chain's draws depend on (seed, chain) alone,
  // and kernels that run chains on their own (NUTS's per-chain trees) may.
  const int64_t chains = x0.defined() ? x0.size(0) : options.chains;
  Rng rng(options.seed, ChainStreams{0, chains});
  const torch::Tensor start =
      x0.defined() ? x0 : uniform_inits(options.chains, target.dim(), 2.0, rng);
  RunResult run = run_sampler(setup, target, start, rng, RunOptions().warmup(warmup).draws(draws));
  std::vector<std::string> names = target.parameter_names();
  Measurement m;
  m.target = target_spec;
  m.sampler = sampler;
  m.accept = run.accept_rate;
  m.summaries = summarize_all(names, per_parameter(run.draws));
  m.efficiency = efficiency(m.summaries, run.sampling_cost);
  m.cost = run.sampling_cost;
  m.divergences = static_cast<int64_t>(run.sampling_total("divergent__"));
  m.transitions = options.chains * draws;
  m.draws = run.draws;
  return m;
}

nlohmann::json to_json(const Measurement& m) {
  return {{"target", m.target},
          {"sampler", m.sampler},
          {"accept_rate", json_number(m.accept)},
          {"min_ess_bulk", json_number(m.efficiency.min_ess_bulk)},
          {"ess_per_transition", json_number(m.ess_per_transition())},
          {"gradient_evals", m.cost.gradient_evals},
          {"seconds", m.cost.wall_seconds},
          {"ess_per_second", json_number(m.efficiency.ess_per_second)},
          {"ess_per_gradient_eval", json_number(m.efficiency.ess_per_gradient_eval)},
          {"divergences", m.divergences}};
}

Measurement best_hmc(const std::string& target_spec, const Target& target,
                     const BenchOptions& options, int64_t warmup, int64_t draws,
                     const std::string& extra, nlohmann::json& results) {
  const std::vector<double> accept_grid = {0.65, 0.9};
  const std::vector<int64_t> steps_grid =
      options.quick ? std::vector<int64_t>{10} : std::vector<int64_t>{5, 15, 40};
  Measurement best;
  best.efficiency.ess_per_gradient_eval = -1;
  for (double accept : accept_grid) {
    for (int64_t steps : steps_grid) {
      char sampler[128];
      std::snprintf(sampler, sizeof(sampler), "hmc:num_steps=%lld,jitter=0.2,target_accept=%.2f%s",
                    static_cast<long long>(steps), accept, extra.c_str());
      Measurement m = measure(target_spec, target, sampler, options, warmup, draws);
      results.push_back(to_json(m));
      if (m.efficiency.ess_per_gradient_eval > best.efficiency.ess_per_gradient_eval) {
        best = m;
      }
    }
  }
  return best;
}

double mean_finite(const std::vector<double>& values) {
  double total = 0;
  int64_t count = 0;
  for (double v : values) {
    if (std::isfinite(v)) {
      total += v;
      ++count;
    }
  }
  return count > 0 ? total / static_cast<double>(count) : std::nan("");
}

double max_finite(const std::vector<double>& values) {
  double best = std::nan("");
  for (double v : values) {
    if (std::isfinite(v) && !(v <= best)) best = v;
  }
  return best;
}

std::string mean_se(const std::vector<double>& values, const char* format) {
  std::vector<double> finite;
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) return "–";
  const double mean = mean_finite(finite);
  char text[96];
  char m[32];
  std::snprintf(m, sizeof m, format, mean);
  if (finite.size() < 2) return m;
  double var = 0;
  for (double v : finite) var += (v - mean) * (v - mean);
  var /= static_cast<double>(finite.size() - 1);
  char se[32];
  std::snprintf(se, sizeof se, format, std::sqrt(var / static_cast<double>(finite.size())));
  std::snprintf(text, sizeof text, "%s ± %s", m, se);
  return text + std::string(finite.size() < values.size()
                                ? " (" + std::to_string(values.size() - finite.size()) + " failed)"
                                : "");
}

}  // namespace ebmc::bench
