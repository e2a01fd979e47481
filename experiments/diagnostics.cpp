// `ebmc bench diagnostics`: the summary of a very wide run, sequential and parallel, against
// calling each diagnostic on its own; and the CSV round trip of `ebmc diagnose`.

#include <ATen/Parallel.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ebmc/core/cost.h"
#include "ebmc/core/rng.h"
#include "ebmc/diagnostics/ess.h"
#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/rhat.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/io/draws_csv.h"
#include "experiments/experiments.h"

namespace ebmc::bench {

namespace {

/// AR(1) chains, x_t = ρ x_{t−1} + sqrt(1 − ρ²) ε_t, with ρ from 0 to 0.9 across parameters:
/// [draws, chains, parameters].
torch::Tensor autoregressive_draws(int64_t draws, int64_t chains, int64_t parameters,
                                   uint64_t seed) {
  Rng rng(seed);
  const torch::Tensor rho = torch::linspace(0.0, 0.9, parameters, torch::kFloat64);
  const torch::Tensor scale = torch::sqrt(1.0 - rho * rho);
  std::vector<torch::Tensor> rows = {rng.normal({chains, parameters})};
  for (int64_t t = 1; t < draws; ++t) {
    rows.push_back(rho * rows.back() + scale * rng.normal({chains, parameters}));
  }
  return torch::stack(rows, 0);
}

/// The summary the slow way: every diagnostic computed by its own public function.
std::vector<ParameterSummary> one_by_one(const std::vector<std::string>& names,
                                         const std::vector<ChainMatrix>& draws) {
  std::vector<ParameterSummary> out;
  for (size_t i = 0; i < names.size(); ++i) {
    ParameterSummary s;
    s.name = names[i];
    s.rhat = rhat(draws[i]);
    s.ess_bulk = ess_bulk(draws[i]);
    s.ess_tail = ess_tail(draws[i]);
    s.mcse_mean = mcse_mean(draws[i]);
    s.mcse_sd = mcse_sd(draws[i]);
    out.push_back(s);
  }
  return out;
}

bool same_values(const std::vector<ParameterSummary>& a, const std::vector<ParameterSummary>& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].rhat != b[i].rhat || a[i].ess_bulk != b[i].ess_bulk ||
        a[i].ess_tail != b[i].ess_tail || a[i].mcse_mean != b[i].mcse_mean ||
        a[i].mcse_sd != b[i].mcse_sd) {
      return false;
    }
  }
  return true;
}

}  // namespace

nlohmann::json run_diagnostics_bench(const BenchOptions& options) {
  const int64_t chains = options.chains > 0 ? options.chains : (options.quick ? 256 : 4096);
  const int64_t parameters = 100, draws = 50;
  const torch::Tensor x = autoregressive_draws(draws, chains, parameters, options.seed);
  std::vector<std::string> names;
  for (int64_t j = 1; j <= parameters; ++j) names.push_back("x." + std::to_string(j));
  const int threads = static_cast<int>(diagnostics_threads());

  Stopwatch split_clock;
  const std::vector<ChainMatrix> matrices = per_parameter(x);
  const double split_seconds = split_clock.seconds();
  const int torch_threads = at::get_num_threads();
  at::set_num_threads(1);
  Stopwatch serial_clock;
  const std::vector<ParameterSummary> serial = summarize_all(names, matrices, 1);
  const double serial_seconds = serial_clock.seconds();
  Stopwatch baseline_clock;
  const std::vector<ParameterSummary> baseline = one_by_one(names, matrices);
  const double baseline_seconds = baseline_clock.seconds();
  at::set_num_threads(torch_threads);
  Stopwatch parallel_clock;
  const std::vector<ParameterSummary> parallel = summarize_all(names, matrices, threads);
  const double parallel_seconds = parallel_clock.seconds() + split_seconds;

  // The CSV round trip `ebmc sample` + `ebmc diagnose` adds.
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("ebmc-bench-" + std::to_string(::getpid()) + "-draws.csv"))
                               .string();
  Stopwatch write_clock;
  {
    std::ofstream out(path);
    write_long_header(out, names);
    for (int64_t t = 0; t < draws; ++t) write_long_rows(out, t + 1, x[t]);
  }
  const double write_seconds = write_clock.seconds();
  Stopwatch read_clock;
  std::vector<std::string> notes;
  const LongDraws read = read_draws({path}, notes);
  const double read_seconds = read_clock.seconds();
  std::filesystem::remove(path);
  const bool round_trip = read.parameters.size() == matrices.size() &&
                          read.parameters[0].values() == matrices[0].values();

  const bool agree = same_values(serial, parallel) && same_values(serial, baseline);
  std::printf("diagnostics of %lld chains x %lld parameters x %lld draws (%d threads)\n",
              static_cast<long long>(chains), static_cast<long long>(parameters),
              static_cast<long long>(draws), threads);
  std::printf("  %-46s %8.2f s\n", "baseline: each diagnostic alone, 1 thread", baseline_seconds);
  std::printf("  %-46s %8.2f s\n", "summary table, 1 thread", serial_seconds);
  std::printf("  %-46s %8.2f s\n",
              ("summary table, " + std::to_string(threads) + " threads").c_str(), parallel_seconds);
  std::printf("  %-46s %8.2f s\n", "write draws.csv", write_seconds);
  std::printf("  %-46s %8.2f s\n", "read draws.csv (ebmc diagnose)", read_seconds);
  std::printf("  same values in all three: %s; CSV round trip exact: %s\n", agree ? "yes" : "NO",
              round_trip ? "yes" : "NO");
  return {{"chains", chains},
          {"parameters", parameters},
          {"draws", draws},
          {"threads", threads},
          {"baseline_seconds", baseline_seconds},
          {"summary_seconds_one_thread", serial_seconds},
          {"summary_seconds", parallel_seconds},
          {"write_csv_seconds", write_seconds},
          {"read_csv_seconds", read_seconds},
          {"same_values", agree},
          {"csv_round_trip_exact", round_trip}};
}

}  // namespace ebmc::bench
