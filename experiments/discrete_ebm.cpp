// `ebmc bench discrete-ebm`: grathwohl-2021 sections 7–8 scaled to a 2-core CPU — Ising structure
// learning against MCMC steps per iteration (Figures 6 / 11), Potts contact recovery (section
// 7.2's pattern on a planted graph), RBM and deep EBM test log-likelihoods on binary digits by
// AIS (Table 2's pattern), each over several seeds.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/ebm/discrete_ebm_run.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/states_csv.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_parts.h"
#include "experiments.h"
#include "measurement.h"

namespace ebmc::bench {

namespace {

/// One training configuration of the bench.
struct EbmConfig {
  std::string label;   ///< row label
  std::string model;   ///< --model
  std::string method;  ///< --method
  int64_t steps = 1000;
  double learning_rate = 1e-3, l1 = 0.01;
  int64_t buffer = 0;
  double reinit = 0, ema = 0;
  int64_t warmup = 0;
};

/// Values of the metrics of interest over seeds.
using SeedMetrics = std::map<std::string, std::vector<double>>;

double metric_or_nan(const nlohmann::json& metrics, const std::string& key) {
  return metrics.contains(key) && metrics.at(key).is_number() ? metrics.at(key).get<double>()
                                                              : std::nan("");
}

/// Trains `config` on `data` (a file or a shipped set) into `out`; RunFailed counts as NaNs.
nlohmann::json train(const EbmConfig& config, const std::string& data, const std::string& truth,
                     const std::string& out, uint64_t seed, bool quick, bool report = false) {
  DiscreteEbmRunOptions run;
  run.model = config.model;
  run.method = config.method;
  run.data = data;
  run.truth = truth;
  run.steps = quick ? std::min<int64_t>(config.steps, 20) : config.steps;
  run.batch = 256;
  run.buffer = config.buffer;
  run.reinit = config.reinit;
  run.ema = config.ema;
  run.warmup = quick ? 0 : config.warmup;
  run.learning_rate = config.learning_rate;
  run.l1 = config.l1;
  run.ais_steps = truth.empty() ? (quick ? 50 : 2000) : 0;
  run.seed = seed;
  run.out = out;
  run.checkpoint_every = 0;
  run.report = report;
  std::filesystem::create_directories(out);
  try {
    return run_discrete_ebm_training(run);
  } catch (const RunFailed& e) {
    return {{"failed", e.what()}};
  }
}

/// Writes `rows` drawn from `target_spec` (seeded) to `path` and returns it.
std::string write_data(const std::string& target_spec, int64_t rows, int64_t burn_in, uint64_t seed,
                       const std::string& path) {
  const std::unique_ptr<DiscreteTarget> target = make_discrete_target(target_spec);
  write_file_atomically(path, states_csv(draw_training_rows(*target, rows, burn_in, seed)));
  return path;
}

/// log-RMSE vs MCMC steps per iteration (Figure 11) for one graph: PLM, then Gibbs and GWG at
/// every K; returns the JSON rows and draws the plot into `dir`.
nlohmann::json structure_learning(const BenchOptions& options, const std::string& name,
                                  const std::string& target_base, const std::vector<int64_t>& ks,
                                  int64_t iterations, double learning_rate, int64_t burn_in,
                                  int64_t seeds, const std::string& dir) {
  std::map<std::string, SeedMetrics> values;  // "plm", "gibbs/K", "gwg/K"
  for (int64_t s = 0; s < seeds; ++s) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(s);
    // ER graphs are drawn per seed; the lattice is one model.
    const std::string target = target_base.rfind("ising_er", 0) == 0
                                   ? target_base + ",seed=" + std::to_string(seed)
                                   : target_base;
    const std::string run_dir = dir + "/" + name + "/seed" + std::to_string(s + 1);
    std::filesystem::create_directories(run_dir);
    const std::string data = write_data(target, options.quick ? 200 : 2000,
                                        options.quick ? 5 : burn_in, seed, run_dir + "/data.csv");
    std::vector<std::pair<std::string, EbmConfig>> runs = {
        {"plm", {"PLM", "ising", "plm", 500, 0.01, 0.01}}};
    for (const std::string sampler : {"gibbs", "gwg"}) {
      for (int64_t k : ks) {
        runs.push_back({sampler + "/" + std::to_string(k),
                        {sampler, "ising", "pcd:sampler=" + sampler + ",steps=" + std::to_string(k),
                         iterations, learning_rate, 0.01}});
      }
    }
    for (const auto& [key, config] : runs) {
      std::string folder = key;
      std::replace(folder.begin(), folder.end(), '/', '_');
      const nlohmann::json m =
          train(config, data, target, run_dir + "/" + folder, seed, options.quick);
      values[key]["log_rmse"].push_back(metric_or_nan(m, "log_rmse"));
      values[key]["seconds"].push_back(metric_or_nan(m, "seconds"));
      std::printf("  %s seed %lld %-10s log-RMSE %.3f (%.0f s)\n", name.c_str(),
                  static_cast<long long>(s + 1), key.c_str(), metric_or_nan(m, "log_rmse"),
                  metric_or_nan(m, "seconds"));
      std::fflush(stdout);
    }
  }
  std::printf(
      "\n%s: log RMSE(J) after %lld iterations, mean ± standard error over %lld seeds "
      "(seconds of training)\n",
      name.c_str(), static_cast<long long>(options.quick ? 20 : iterations),
      static_cast<long long>(seeds));
  std::printf("%6s %-22s %-22s %-10s %-10s\n", "steps", "Gibbs", "GWG", "Gibbs s", "GWG s");
  nlohmann::json rows = nlohmann::json::array();
  GnuplotFigure figure{name + ": log RMSE of J vs MCMC steps per iteration", {}, ""};
  std::string gibbs_rows, gwg_rows;
  for (int64_t k : ks) {
    const SeedMetrics& gibbs = values["gibbs/" + std::to_string(k)];
    const SeedMetrics& gwg = values["gwg/" + std::to_string(k)];
    std::printf(
        "%6lld %-22s %-22s %-10s %-10s\n", static_cast<long long>(k),
        mean_se(gibbs.at("log_rmse"), "%.3f").c_str(), mean_se(gwg.at("log_rmse"), "%.3f").c_str(),
        mean_se(gibbs.at("seconds"), "%.0f").c_str(), mean_se(gwg.at("seconds"), "%.0f").c_str());
    rows.push_back({{"steps", k},
                    {"gibbs_log_rmse", gibbs.at("log_rmse")},
                    {"gwg_log_rmse", gwg.at("log_rmse")},
                    {"gibbs_seconds", gibbs.at("seconds")},
                    {"gwg_seconds", gwg.at("seconds")}});
    gibbs_rows += std::to_string(k) + " " + ebmc::number(mean_finite(gibbs.at("log_rmse"))) + "\n";
    gwg_rows += std::to_string(k) + " " + ebmc::number(mean_finite(gwg.at("log_rmse"))) + "\n";
  }
  const SeedMetrics& plm = values["plm"];
  std::printf("%6s %-22s (%s s)\n", "PLM", mean_se(plm.at("log_rmse"), "%.3f").c_str(),
              mean_se(plm.at("seconds"), "%.1f").c_str());
  std::fflush(stdout);
  figure.blocks = {{"gibbs", gibbs_rows}, {"gwg", gwg_rows}};
  figure.commands = "set title " + ebmc::quoted(figure.title) +
                    "\nset logscale x\nset xlabel 'MCMC steps per iteration'\nset ylabel "
                    "'log RMSE'\nset key top right\nplot $gibbs using 1:2 with linespoints lw 2 "
                    "lc rgb '#cc6677' title 'Gibbs', $gwg using 1:2 with linespoints lw 2 lc rgb "
                    "'#4477aa' title 'GWG', " +
                    ebmc::number(mean_finite(plm.at("log_rmse"))) +
                    " with lines dt 2 lc rgb '#555555' title 'PLM'";
  if (gnuplot_available()) {
    write_file_atomically(dir + "/" + name + "_log_rmse.svg",
                          render_svgs({figure}, 640, 400).at(0));
  }
  return {{"rows", rows}, {"plm_log_rmse", plm.at("log_rmse")}, {"iterations", iterations}};
}

/// Potts contact recovery on a planted graph: PLM, Gibbs and GWG.
nlohmann::json potts_recovery(const BenchOptions& options, int64_t seeds, const std::string& dir) {
  const std::vector<EbmConfig> configs = {
      {"PLM", "potts", "plm", 500, 0.01, 0.01},
      {"Gibbs", "potts", "pcd:sampler=gibbs,steps=25", 600, 3e-3, 0.01},
      {"GWG", "potts", "pcd:sampler=gwg,steps=25", 600, 3e-3, 0.01}};
  std::map<std::string, SeedMetrics> values;
  for (int64_t s = 0; s < seeds; ++s) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(s);
    const std::string target = "potts_planted:n=30,k=4,degree=2,seed=" + std::to_string(seed);
    const std::string run_dir = dir + "/potts/seed" + std::to_string(s + 1);
    std::filesystem::create_directories(run_dir);
    const std::string data = write_data(target, options.quick ? 200 : 2000, options.quick ? 5 : 300,
                                        seed, run_dir + "/data.csv");
    for (const EbmConfig& c : configs) {
      const nlohmann::json m = train(c, data, target, run_dir + "/" + c.label, seed, options.quick);
      for (const std::string key :
           {"contact_precision_at_half", "contact_precision_at_contacts", "log_rmse", "seconds"}) {
        values[c.label][key].push_back(metric_or_nan(m, key));
      }
      std::printf("  potts seed %lld %-6s %s\n", static_cast<long long>(s + 1), c.label.c_str(),
                  m.dump().c_str());
      std::fflush(stdout);
    }
  }
  std::printf(
      "\nPotts, 30 sites, K = 4, planted K x K couplings on a random contact graph (a graph per "
      "seed), 2000 rows: precision of the strongest pairs against the true contacts (at half and "
      "at all of them; the latter is also the recall), log RMSE of ‖J_ij‖; mean ± standard error "
      "over %lld seeds\n",
      static_cast<long long>(seeds));
  std::printf("%-6s %-18s %-18s %-20s %-10s\n", "method", "precision@E/2", "precision@E",
              "log RMSE", "seconds");
  nlohmann::json rows = nlohmann::json::array();
  for (const EbmConfig& c : configs) {
    const SeedMetrics& v = values[c.label];
    std::printf("%-6s %-18s %-18s %-20s %-10s\n", c.label.c_str(),
                mean_se(v.at("contact_precision_at_half"), "%.3f").c_str(),
                mean_se(v.at("contact_precision_at_contacts"), "%.3f").c_str(),
                mean_se(v.at("log_rmse"), "%.3f").c_str(),
                mean_se(v.at("seconds"), "%.0f").c_str());
    rows.push_back({{"method", c.method}, {"values", v}});
  }
  std::fflush(stdout);
  return rows;
}

/// RBM and deep EBM on binary digits, GWG against Gibbs with the same and with 5× the steps:
/// test log-likelihood by AIS; the first seed's runs write reports with samples as images.
nlohmann::json digits_likelihoods(const BenchOptions& options, int64_t seeds,
                                  const std::string& dir) {
  std::vector<EbmConfig> configs;
  for (const std::string model : {"rbm:hidden=64", "deep:width=128,depth=2"}) {
    if (!options.only.empty() && model.find(options.only) == std::string::npos) continue;
    const bool deep = model.rfind("deep", 0) == 0;
    for (const auto& [sampler, k] :
         std::vector<std::pair<std::string, int64_t>>{{"gwg", 20}, {"gibbs", 20}, {"gibbs", 100}}) {
      EbmConfig c{model.substr(0, model.find(':')) + " " + sampler + "-" + std::to_string(k),
                  model,
                  "pcd:sampler=" + sampler + ",steps=" + std::to_string(k),
                  1000,
                  deep ? 1e-3 : 1e-2,
                  0};
      c.buffer = 1000;
      c.reinit = 0.05;
      c.ema = deep ? 0.99 : 0;
      c.warmup = deep ? 100 : 0;
      configs.push_back(c);
    }
  }
  std::map<std::string, SeedMetrics> values;
  const bool reports = gnuplot_available();
  for (int64_t s = 0; s < seeds; ++s) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(s);
    for (const EbmConfig& c : configs) {
      std::string folder = c.label;
      std::replace(folder.begin(), folder.end(), ' ', '_');
      const nlohmann::json m =
          train(c, "digits", "", dir + "/digits/seed" + std::to_string(s + 1) + "/" + folder, seed,
                options.quick, /*report=*/s == 0 && reports);
      for (const std::string key :
           {"test_log_likelihood", "train_log_likelihood", "log_z_stderr", "seconds"}) {
        values[c.label][key].push_back(metric_or_nan(m, key));
      }
      std::printf("  digits seed %lld %-18s test LL %.3f (%.0f s)\n", static_cast<long long>(s + 1),
                  c.label.c_str(), metric_or_nan(m, "test_log_likelihood"),
                  metric_or_nan(m, "seconds"));
      std::fflush(stdout);
    }
  }
  std::printf(
      "\nBinary 8x8 digits (1497 train / 300 test rows): test and train log-likelihood (nats per "
      "image) with log Z by AIS (2000 temperatures, 100 chains, GWG), PCD with a 1000-chain "
      "replay buffer (restart 5%%), 1000 iterations; mean ± standard error over %lld seeds\n",
      static_cast<long long>(seeds));
  std::printf("%-20s %-20s %-20s %-14s %-10s\n", "model / sampler-K", "test LL", "train LL",
              "log Z stderr", "seconds");
  nlohmann::json rows = nlohmann::json::array();
  for (const EbmConfig& c : configs) {
    const SeedMetrics& v = values[c.label];
    std::printf("%-20s %-20s %-20s %-14s %-10s\n", c.label.c_str(),
                mean_se(v.at("test_log_likelihood"), "%.2f").c_str(),
                mean_se(v.at("train_log_likelihood"), "%.2f").c_str(),
                mean_se(v.at("log_z_stderr"), "%.3f").c_str(),
                mean_se(v.at("seconds"), "%.0f").c_str());
    rows.push_back({{"config", c.label}, {"method", c.method}, {"values", v}});
  }
  std::fflush(stdout);
  return rows;
}

}  // namespace

nlohmann::json run_discrete_ebm_bench(const BenchOptions& options, const std::string& out_dir) {
  const std::vector<std::string> parts = {"lattice", "er", "potts", "rbm", "deep"};
  if (!options.only.empty() && std::find(parts.begin(), parts.end(), options.only) == parts.end()) {
    throw InputError(
        "unknown part '" + options.only + "' of bench discrete-ebm (lattice, er, potts, rbm, deep)",
        "--only");
  }
  auto wanted = [&](const std::string& part) {
    return options.only.empty() || options.only == part;
  };
  const int64_t seeds = options.seeds > 0 ? options.seeds : (options.quick ? 1 : 2);
  const std::string dir = out_dir.empty() ? "discrete-ebm-bench" : out_dir;
  std::filesystem::create_directories(dir);
  nlohmann::json result = {{"seeds", seeds}, {"output", dir}};
  if (wanted("lattice")) {
    result["lattice"] = structure_learning(options, "lattice", "ising:n=5,theta=0.25",
                                           {5, 10, 25, 50, 100}, 1000, 1e-3, 1000, seeds, dir);
  }
  if (wanted("er")) {
    result["er"] = structure_learning(options, "er", "ising_er:n=200,degree=4", {5, 10, 25, 50},
                                      500, 3e-3, 300, seeds, dir);
  }
  if (wanted("potts")) result["potts"] = potts_recovery(options, seeds, dir);
  if (wanted("rbm") || wanted("deep")) {
    result["digits"] = digits_likelihoods(options, seeds, dir);
  }
  return result;
}

}  // namespace ebmc::bench
