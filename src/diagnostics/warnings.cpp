#include "ebmc/diagnostics/warnings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ebmc {

namespace {

std::string number(double value, const char* format = "%.3g") {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

/// Index of statistic `name` in `run.stat_names`, or -1.
int64_t stat_index(const RunResult& run, const std::string& name) {
  const auto it = std::find(run.stat_names.begin(), run.stat_names.end(), name);
  return it == run.stat_names.end() ? -1 : it - run.stat_names.begin();
}

/// A warning for every parameter whose `value` fails `bad`: how many, and the worst one.
void parameter_warning(std::vector<RunWarning>& out, const std::vector<ParameterSummary>& summaries,
                       const std::string& code, double ParameterSummary::*field, bool above,
                       double threshold, const std::string& what, const std::string& advice) {
  int64_t count = 0;
  const ParameterSummary* worst = nullptr;
  for (const ParameterSummary& s : summaries) {
    const double v = s.*field;
    if (std::isnan(v)) continue;
    if (above ? !(v > threshold) : !(v < threshold)) continue;
    ++count;
    if (worst == nullptr || (above ? v > worst->*field : v < worst->*field)) worst = &s;
  }
  if (count == 0) return;
  out.push_back({code, what + " " + (above ? "above " : "below ") + number(threshold, "%g") +
                           " for " + std::to_string(count) + " of " +
                           std::to_string(summaries.size()) + " quantities (" +
                           (above ? "max " : "min ") + number(worst->*field) + " for " +
                           worst->name + "): " + advice});
}

}  // namespace

std::vector<double> ebfmi(const torch::Tensor& energy) {
  const torch::Tensor e = energy.to(torch::kFloat64).contiguous();
  std::vector<double> out;
  for (int64_t c = 0; c < e.size(1); ++c) {
    const torch::Tensor chain = e.select(1, c);
    if (chain.size(0) < 3) {
      out.push_back(std::nan(""));
      continue;
    }
    const double numerator =
        (chain.narrow(0, 1, chain.size(0) - 1) - chain.narrow(0, 0, chain.size(0) - 1))
            .pow(2)
            .sum()
            .item<double>();
    const double denominator = (chain - chain.mean()).pow(2).sum().item<double>();
    out.push_back(denominator > 0 ? numerator / denominator : std::nan(""));
  }
  return out;
}

std::vector<RunWarning> run_warnings(const RunResult& run,
                                     const std::vector<ParameterSummary>& summaries,
                                     const WarningThresholds& t) {
  std::vector<RunWarning> out;
  // The statistics are always kept (the draws may have been streamed to disk only).
  const torch::Tensor& kept = run.stats.defined() ? run.stats : run.draws;
  const int64_t chains = kept.defined() ? kept.size(1) : 0;
  const int64_t draws = kept.defined() ? kept.size(0) : 0;
  parameter_warning(out, summaries, "rhat", &ParameterSummary::rhat, true, t.rhat, "R-hat",
                    "the chains have not mixed; run longer, or reparameterize");
  const double ess_floor = t.ess_per_chain * static_cast<double>(chains);
  parameter_warning(out, summaries, "ess_bulk", &ParameterSummary::ess_bulk, false, ess_floor,
                    "bulk-ESS", "means and standard deviations are unreliable; run longer");
  parameter_warning(out, summaries, "ess_tail", &ParameterSummary::ess_tail, false, ess_floor,
                    "tail-ESS", "quantiles and intervals are unreliable; run longer");

  const double divergent = run.sampling_total("divergent__");
  if (divergent > 0) {
    out.push_back({"divergences", number(divergent, "%.0f") +
                                      " transitions after warmup diverged: the sampler "
                                      "missed parts of the target; raise target_accept "
                                      "or reparameterize"});
  }
  for (const auto& [name, limit] : run.stat_limits) {
    const int64_t k = stat_index(run, name);
    if (k < 0 || draws == 0) continue;
    const int64_t hits = (run.stats.select(2, k) >= limit).sum().item<int64_t>();
    if (hits == 0) continue;
    const bool depth = name == "treedepth__";
    out.push_back({depth ? "treedepth" : name.substr(0, name.size() - 2) + "_limit",
                   std::to_string(hits) + " of " + std::to_string(draws * chains) +
                       " draws reached the maximum " + (depth ? "tree depth " : name + " ") +
                       number(limit, "%g") +
                       (depth ? ": trajectories were cut short; raise max_depth" : "")});
  }
  const int64_t energy = stat_index(run, "energy__");
  if (energy >= 0 && draws >= 3) {
    const std::vector<double> values = ebfmi(run.stats.select(2, energy));
    std::string low;
    for (size_t c = 0; c < values.size(); ++c) {
      if (values[c] < t.ebfmi) {
        low += (low.empty() ? "" : ", ") + std::string("chain ") + std::to_string(c + 1) + " " +
               number(values[c], "%.2f");
      }
    }
    if (!low.empty()) {
      out.push_back({"ebfmi", "E-BFMI below " + number(t.ebfmi, "%g") + " (" + low +
                                  "): momentum resampling explores the energy poorly; "
                                  "reparameterize"});
    }
  }
  const int64_t lp = stat_index(run, "lp__");
  if (lp >= 0 && draws >= 20) {
    // Every chain's last tenth of draws below (in energy) all of its first tenth: by chance that
    // has probability 1/C(2k, k) per chain for independent draws.
    const int64_t tenth = draws / 10;
    const torch::Tensor log_density = run.stats.select(2, lp);
    const torch::Tensor first = std::get<0>(log_density.narrow(0, 0, tenth).max(0));
    const torch::Tensor last = std::get<0>(log_density.narrow(0, draws - tenth, tenth).min(0));
    if ((last > first).all().item<bool>()) {
      out.push_back({"energy_trend",
                     "the energy fell through the whole run in every chain (each chain's last "
                     "tenth of draws lies below all of its first tenth): the target may be "
                     "improper, its energy unbounded below, or warmup was too short"});
    }
  }
  if (run.gradient_always_zero) {
    out.push_back({"zero_gradient",
                   "the gradient of the energy was exactly zero at every recorded state: is the "
                   "energy detached from its input (x.detach(), .item(), NumPy)? Gradient-based "
                   "samplers then move blindly"});
  }
  if (run.nonfinite > 0) {
    out.push_back({"nonfinite", std::to_string(run.nonfinite) +
                                    " proposals had a non-finite energy or ratio and were "
                                    "rejected: check the target where it is undefined"});
  }
  if (run.target_accept && std::fabs(run.accept_rate - *run.target_accept) > t.accept_gap) {
    out.push_back({"acceptance", "mean acceptance " + number(run.accept_rate, "%.2f") +
                                     " is far from the adaptation target " +
                                     number(*run.target_accept, "%.2f") +
                                     ": warmup was too short or the target is hard"});
  }
  return out;
}

}  // namespace ebmc
