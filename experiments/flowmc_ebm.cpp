// `ebmc bench flowmc-ebm`: grenioux-2023's experiments, scaled to a 2-core CPU.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <vector>

#include "ebmc/ebm/ebm_run.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_parts.h"
#include "experiments.h"
#include "measurement.h"

namespace ebmc::bench {

namespace {

/// One data set × method of the paper, with the scaled-down budget this machine runs.
struct EbmCase {
  std::string part;    ///< `two_to_one`, `four_modes`, `toy_2d`, `high_dim`
  std::string data;    ///< --data
  std::string preset;  ///< the paper's table
  std::string method;  ///< --method (preset options, with the scaled step counts)
  int64_t steps = 0;   ///< iterations
  int64_t batch = 0, persistent = 0, negative_chains = -1;
  int64_t data_size = 0;
};

/// The cases. The papers' budgets (e.g. Table 4: 100 epochs of 60 000 points, batch 256, 8192
/// persistent chains, 128–512 MCMC steps per iteration, on a GPU) are cut to minutes here:
/// fewer iterations, batch 64, 1024 persistent chains and, for the methods whose chains persist
/// across iterations (ULA-EBM, flowMC-EBM) or barely move (CoopFlow: noiseless Langevin steps of
/// 5·10⁻⁴), a quarter of the MCMC steps. NT-EBM keeps its 128 latent MALA steps: its chains
/// restart from the flow every iteration, so fewer steps change the method (with 32 it loses
/// the modes and diverges after ~500 iterations on 8 Gaussians).
std::vector<EbmCase> ebm_cases(bool quick) {
  const int64_t c2 = quick ? 60 : 5120;  // C.2: 75 epochs = 19 200 iterations; here 20 epochs
  const int64_t table = quick ? 20 : 1000;
  const int64_t high = quick ? 10 : 400;
  std::vector<EbmCase> out;
  for (const std::string method : {"ula", "flowmc"}) {
    out.push_back({"two_to_one", "two_to_one", "c2", method, c2, 0, 0, -1, 0});
  }
  // Table 4 / 5 scaled: MCMC steps / 4.
  const std::map<std::string, std::string> table45 = {{"ula", "ula:steps=128"},
                                                      {"ntebm", "ntebm:steps=128"},
                                                      {"coopflow", "coopflow:steps=64"},
                                                      {"flowmc", "flowmc:cycles=1,local_steps=24"}};
  for (const auto& [name, spec] : table45) {
    out.push_back({"four_modes", "four_modes", "table4", spec, table, 64, 1024, -1, 16384});
  }
  const std::map<std::string, std::string> table5 = {{"ula", "ula:steps=128"},
                                                     {"ntebm", "ntebm:steps=128"},
                                                     {"coopflow", "coopflow:steps=64"},
                                                     {"flowmc", "flowmc:cycles=4,local_steps=7"}};
  for (const std::string data : {"eight_gaussians", "rings"}) {
    for (const auto& [name, spec] : table5) {
      out.push_back(
          {"toy_2d", data, "table5", spec, table, 64, 1024, name == "flowmc" ? 16 : -1, 16384});
    }
  }
  const std::map<std::string, std::string> table7 = {{"ula", "ula:steps=128"},
                                                     {"ntebm", "ntebm:steps=128"},
                                                     {"coopflow", "coopflow:steps=64"},
                                                     {"flowmc", "flowmc:cycles=16,local_steps=2"}};
  for (int64_t d : {16, 32, 64}) {
    for (const auto& [name, spec] : table7) {
      out.push_back({"high_dim", "gaussian_mixture_4:d=" + std::to_string(d), "table7", spec, high,
                     64, 1024, name == "flowmc" ? 4 : -1, 16384});
    }
  }
  return out;
}

std::string method_name(const std::string& spec) { return spec.substr(0, spec.find(':')); }

double metric(const nlohmann::json& metrics, const std::string& key, int64_t index = -1) {
  if (!metrics.contains(key)) return std::nan("");
  const nlohmann::json& v = metrics.at(key);
  if (index >= 0) return v.at(static_cast<size_t>(index)).get<double>();
  return v.is_number() ? v.get<double>() : std::nan("");
}

/// The top-right weight of the two_to_one runs along training, one line per method and seed.
void write_weight_curves(const std::string& dir,
                         const std::map<std::string, std::vector<EbmRunResult>>& runs) {
  std::string html_rows;
  GnuplotFigure figure;
  figure.title = "two_to_one: weight of the top-right mode during training (true: 2/3)";
  std::string plot = "plot 2.0/3 with lines dt 2 lc rgb '#555555' title 'true 2/3'";
  const std::map<std::string, std::string> colours = {{"ula", "#cc3311"}, {"flowmc", "#4477aa"}};
  std::string csv = "method,seed,iteration,top_right_weight\n";
  for (const auto& [method, results] : runs) {
    for (size_t s = 0; s < results.size(); ++s) {
      std::string rows;
      for (size_t k = 0; k < results[s].weight_curve.size(); ++k) {
        const double w = results[s].weight_curve[k].at(1);
        rows += std::to_string(results[s].weight_iterations[k]) + " " + number(w) + "\n";
        csv += method + "," + std::to_string(s + 1) + "," +
               std::to_string(results[s].weight_iterations[k]) + "," + number(w) + "\n";
      }
      const std::string block = method + std::to_string(s);
      figure.blocks.push_back({block, rows});
      plot += ", $" + block + " using 1:2 with lines lw 1.3 lc rgb '" +
              (colours.count(method) ? colours.at(method) : "#228833") + "' " +
              (s == 0 ? "title '" + method + "-EBM'" : "notitle");
    }
  }
  figure.commands = "set title " + ebmc::quoted(figure.title) +
                    "\nset xlabel 'iteration'\nset ylabel 'weight'\nset yrange [0:1]\nset key "
                    "bottom right\n" +
                    plot;
  write_file_atomically(dir + "/two_to_one_weights.csv", csv);
  write_file_atomically(dir + "/two_to_one_weights.html",
                        page("two_to_one mode weights", figures_html({figure}, 900, 420)));
  write_file_atomically(dir + "/two_to_one_weights.svg", render_svgs({figure}, 900, 420).at(0));
}

}  // namespace

nlohmann::json run_flowmc_ebm_bench(const BenchOptions& options, const std::string& out_dir) {
  const int64_t seeds = options.quick ? 1 : 2;
  const std::string dir = out_dir.empty() ? "flowmc-ebm-bench" : out_dir;
  std::filesystem::create_directories(dir);
  const bool can_plot = gnuplot_available();
  nlohmann::json results = nlohmann::json::array();
  std::map<std::string, std::vector<EbmRunResult>> curves;
  std::printf("%-11s %-22s %-9s %6s %s\n", "part", "data", "method", "iters", "per seed");
  // case key → metric name → values over seeds
  std::vector<std::pair<EbmCase, std::map<std::string, std::vector<double>>>> table;
  for (const EbmCase& c : ebm_cases(options.quick)) {
    if (!only_selects(options.only, {c.data, c.method}) && c.part != options.only) {
      continue;
    }
    std::map<std::string, std::vector<double>> values;
    for (int64_t s = 0; s < seeds; ++s) {
      EbmRunOptions run;
      run.data = c.data;
      run.data_size = c.data_size;
      run.method = c.method;
      run.preset = c.preset;
      run.steps = c.steps;
      run.batch = c.batch;
      run.persistent = c.persistent;
      run.negative_chains = c.negative_chains;
      run.seed = options.seed + static_cast<uint64_t>(s);
      run.out = dir + "/" + c.data + "/" + method_name(c.method) + "/seed" + std::to_string(s + 1);
      run.report = can_plot && s == 0;
      run.checkpoint_every = 0;
      run.resolution = options.quick ? 60 : 200;
      std::filesystem::create_directories(run.out);
      EbmRunResult r;
      try {
        r = run_ebm_training(run);
      } catch (const RunFailed& e) {
        r.metrics = {{"failed", e.what()}};
      }
      std::printf("%-11s %-22s %-9s %6lld seed %lld: %s\n", c.part.c_str(), c.data.c_str(),
                  method_name(c.method).c_str(), static_cast<long long>(c.steps),
                  static_cast<long long>(s + 1), r.metrics.dump().c_str());
      std::fflush(stdout);
      for (const std::string key :
           {"median_sq_log_density_error", "mode_weight_mse", "init_weight_mse",
            "negatives_weight_mse", "negatives_max_rhat", "seconds"}) {
        values[key].push_back(metric(r.metrics, key));
      }
      values["top_right_weight"].push_back(
          c.data == "two_to_one" ? metric(r.metrics, "mode_weights", 1) : std::nan(""));
      if (c.part == "two_to_one") curves[method_name(c.method)].push_back(r);
      nlohmann::json entry = r.metrics;
      entry["case"] = {{"part", c.part},     {"data", c.data},   {"method", c.method},
                       {"preset", c.preset}, {"steps", c.steps}, {"seed", run.seed}};
      results.push_back(entry);
    }
    table.push_back({c, values});
  }
  if (can_plot && !curves.empty()) write_weight_curves(dir, curves);

  std::printf("\nmean ± standard error over %lld seed(s); outputs and reports in %s/\n",
              static_cast<long long>(seeds), dir.c_str());
  std::printf("%-24s %-9s %7s %-22s %-22s %-22s %-22s %-22s %-16s %s\n", "data", "method", "iters",
              "top-right weight", "med sq log-dens err", "mode weight MSE", "init MSE",
              "negatives MSE", "max R-hat", "seconds");
  for (const auto& [c, v] : table) {
    std::printf("%-24s %-9s %7lld %-22s %-22s %-22s %-22s %-22s %-16s %s\n", c.data.c_str(),
                method_name(c.method).c_str(), static_cast<long long>(c.steps),
                mean_se(v.at("top_right_weight")).c_str(),
                mean_se(v.at("median_sq_log_density_error")).c_str(),
                mean_se(v.at("mode_weight_mse")).c_str(), mean_se(v.at("init_weight_mse")).c_str(),
                mean_se(v.at("negatives_weight_mse")).c_str(),
                mean_se(v.at("negatives_max_rhat"), "%.3f").c_str(),
                mean_se(v.at("seconds"), "%.0f").c_str());
  }
  return {{"runs", results}, {"seeds", seeds}, {"output", dir}};
}

}  // namespace ebmc::bench
