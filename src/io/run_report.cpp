#include "ebmc/io/run_report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "ebmc/io/summary_report.h"

namespace ebmc {

RunReport make_run_report(std::string target, std::string sampler, uint64_t seed,
                          const RunOptions& options, const std::vector<std::string>& names,
                          RunResult result,
                          std::optional<std::vector<ParameterSummary>> summaries) {
  RunReport report;
  report.target = std::move(target);
  report.sampler = std::move(sampler);
  report.chains = result.draws.size(1);
  report.seed = seed;
  report.options = options;
  report.summaries =
      summaries ? std::move(*summaries) : summarize_all(names, per_parameter(result.draws));
  report.efficiency = efficiency(report.summaries, result.sampling_cost);
  report.warnings = run_warnings(result, report.summaries);
  report.result = std::move(result);
  return report;
}

nlohmann::ordered_json run_report_to_json(const RunReport& report) {
  const RunResult& r = report.result;
  const CostCounters total = r.total_cost();
  const int64_t flips = static_cast<int64_t>(r.sampling_total("flips__"));
  nlohmann::ordered_json run = {
      {"target", report.target},
      {"sampler", report.sampler},
      {"chains", report.chains},
      {"chain_offset", report.options.first_chain()},
      {"seed", report.seed},
      {"interrupted", r.interrupted},
      {"warmup", report.options.warmup()},
      {"draws", report.options.draws()},
      {"thin", report.options.thin()},
      {"accept_rate", json_number(r.accept_rate)},
      {"step_size", json_number(r.step_size)},
      {"nonfinite_rejections", r.nonfinite},
      {"divergences", static_cast<int64_t>(r.sampling_total("divergent__"))},
      {"warmup_divergences", static_cast<int64_t>(r.warmup_total("divergent__"))},
      {"energy_evals", total.energy_evals},
      {"gradient_evals", total.gradient_evals},
      {"sampling_energy_evals", r.sampling_cost.energy_evals},
      {"sampling_gradient_evals", r.sampling_cost.gradient_evals},
      {"warmup_seconds", r.warmup_cost.wall_seconds},
      {"sampling_seconds", r.sampling_cost.wall_seconds},
      {"min_ess_bulk", json_number(report.efficiency.min_ess_bulk)},
      {"min_ess_bulk_per_second", json_number(report.efficiency.ess_per_second)},
      {"min_ess_bulk_per_gradient_eval", json_number(report.efficiency.ess_per_gradient_eval)},
      {"min_ess_bulk_per_energy_eval", json_number(report.efficiency.ess_per_energy_eval)},
      {"accepted_flips", flips},
      {"sampler_stats", r.stat_names},
  };
  // The per-chain step size and metric after warmup: `ebmc sample --tuning summary.json`
  // reuses them.
  run["tuning"] = r.tuning ? tuning_to_json(*r.tuning) : nlohmann::json();
  // Each parameter's (or monitored statistic's) bulk-ESS per unit of sampling cost.
  nlohmann::ordered_json per_parameter = nlohmann::ordered_json::object();
  for (const ParameterSummary& s : report.summaries) {
    const Efficiency e = efficiency({s}, r.sampling_cost);
    per_parameter[s.name] = {{"ess_bulk_per_second", json_number(e.ess_per_second)},
                             {"ess_bulk_per_energy_eval", json_number(e.ess_per_energy_eval)},
                             {"ess_bulk_per_gradient_eval", json_number(e.ess_per_gradient_eval)}};
  }
  run["efficiency"] = per_parameter;
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const RunWarning& w : report.warnings) {
    warnings.push_back({{"code", w.code}, {"message", w.message}});
  }
  return {
      {"run", run}, {"warnings", warnings}, {"parameters", summaries_to_json(report.summaries)}};
}

namespace {

/// `value` with `format`, or "–" where the quantity does not apply (NaN).
std::string or_dash(double value, const char* format) {
  return std::isnan(value) ? "–" : format_number(value, format);
}

}  // namespace

std::string format_run_report(const RunReport& report) {
  const RunResult& r = report.result;
  const int64_t flips = static_cast<int64_t>(r.sampling_total("flips__"));
  std::ostringstream out;
  char line[256];
  out << "target " << report.target << ", sampler " << report.sampler << ", " << report.chains
      << " chains, seed " << report.seed << '\n';
  if (r.interrupted) {
    out << "INTERRUPTED after " << r.stats.size(0) << " of " << report.options.draws()
        << " draws: the numbers below use the draws kept so far\n";
  }
  std::snprintf(
      line, sizeof(line),
      "warmup %lld, draws %lld, thin %lld; accept rate %s, step size %s, "
      "divergences %lld, non-finite rejections %lld\n",
      static_cast<long long>(report.options.warmup()),
      static_cast<long long>(report.options.draws()), static_cast<long long>(report.options.thin()),
      or_dash(r.accept_rate, "%.3f").c_str(), or_dash(r.step_size, "%.4g").c_str(),
      static_cast<long long>(r.sampling_total("divergent__")), static_cast<long long>(r.nonfinite));
  out << line;
  std::snprintf(line, sizeof(line), "sampling: %.3f s, %lld energy and %lld gradient evaluations\n",
                r.sampling_cost.wall_seconds, static_cast<long long>(r.sampling_cost.energy_evals),
                static_cast<long long>(r.sampling_cost.gradient_evals));
  out << line;
  if (flips > 0) {
    out << "accepted flips " << flips << " ("
        << format_number(static_cast<double>(flips) /
                             static_cast<double>(report.chains * report.options.draws() *
                                                 report.options.thin()),
                         "%.3g")
        << " per chain and step)\n";
  }
  const Efficiency& e = report.efficiency;
  out << "min bulk-ESS " << or_dash(e.min_ess_bulk, "%.1f") << ": "
      << or_dash(e.ess_per_second, "%.1f") << " per second, "
      << or_dash(e.ess_per_energy_eval, "%.3g") << " per energy eval, "
      << or_dash(e.ess_per_gradient_eval, "%.3g") << " per gradient eval\n\n";
  out << format_summary_table(report.summaries);
  if (!report.warnings.empty()) {
    out << "\nWarnings:\n";
    for (const RunWarning& w : report.warnings) out << "  - " << w.message << '\n';
  }
  return out.str();
}

}  // namespace ebmc
