// `ebmc bench stan`: ebmc's NUTS against Stan's on the same posteriors in one run (issue
// "faster than Stan"): the Stan programs and the R driver live in bench/stan/; ebmc writes each
// target's data in R dump format, runs `Rscript bench/stan/run_stan.R` when r-cran-rstan is
// installed, and computes both sides' ESS with its own diagnostics (R's posterior, checked).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/diagnostics/efficiency.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/targets/dense_gaussian.h"
#include "ebmc/targets/funnel.h"
#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/logistic_regression.h"
#include "ebmc/targets/registry.h"
#include "experiments.h"
#include "measurement.h"

namespace ebmc::bench {

namespace {

/// R dump text (`rstan::read_rdump`) of named values.
class RDump {
 public:
  void scalar(const std::string& name, double v) { out_ << name << " <- " << number(v) << "\n"; }
  void integer(const std::string& name, int64_t v) { out_ << name << " <- " << v << "L\n"; }
  void vector(const std::string& name, const torch::Tensor& v) {
    out_ << name << " <- c(" << join(v.contiguous()) << ")\n";
  }
  void integers(const std::string& name, const torch::Tensor& v) {
    const torch::Tensor t = v.to(torch::kInt64).contiguous();
    out_ << name << " <- c(";
    for (int64_t i = 0; i < t.numel(); ++i) out_ << (i ? ", " : "") << t[i].item<int64_t>() << "L";
    out_ << ")\n";
  }
  /// R matrices are column-major.
  void matrix(const std::string& name, const torch::Tensor& m) {
    out_ << name << " <- structure(c(" << join(m.t().contiguous().reshape({-1})) << "), .Dim = c("
         << m.size(0) << ", " << m.size(1) << "))\n";
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  static std::string number(double v) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", v);
    return text;
  }
  static std::string join(const torch::Tensor& v) {
    std::string s;
    const torch::Tensor d = v.to(torch::kFloat64).reshape({-1});
    for (int64_t i = 0; i < d.numel(); ++i) s += (i ? ", " : "") + number(d[i].item<double>());
    return s;
  }
};

/// The Stan program of bench/stan/ and its data for a target, or an empty program.
struct StanModel {
  std::string program;
  std::string data;
};

StanModel stan_model_of(const Target& target) {
  RDump dump;
  if (const auto* g = dynamic_cast<const DiagonalGaussian*>(&target)) {
    dump.integer("d", target.dim());
    dump.vector("mu", g->mean());
    dump.vector("scale", g->scale());
    return {"diag_gaussian.stan", dump.text()};
  }
  if (const auto* g = dynamic_cast<const DenseGaussian*>(&target)) {
    dump.integer("d", target.dim());
    dump.vector("mu", g->mean());
    dump.matrix("Sigma", g->covariance());
    return {"dense_gaussian.stan", dump.text()};
  }
  if (const auto* f = dynamic_cast<const Funnel*>(&target)) {
    dump.integer("d", target.dim());
    dump.scalar("sigma", f->sigma());
    return {"funnel.stan", dump.text()};
  }
  if (const auto* blr = dynamic_cast<const LogisticRegression*>(&target)) {
    dump.integer("n", blr->design().size(0));
    dump.integer("k", blr->design().size(1));
    dump.matrix("X", blr->design());
    dump.integers("y", blr->labels());
    dump.scalar("prior_scale", blr->prior_scale());
    return {"logistic.stan", dump.text()};
  }
  return {};
}

/// bench/stan/ of the source tree ($EBMC_STAN_DIR overrides).
std::string stan_dir() {
  if (const char* env = std::getenv("EBMC_STAN_DIR")) return env;
  return default_data_dir() + "/../bench/stan";
}

bool rstan_available() {
  return std::system(
             "Rscript -e 'suppressPackageStartupMessages(library(rstan))' "
             ">/dev/null 2>&1") == 0;
}

/// One Stan run's efficiency, read back from the driver's files.
struct StanRun {
  bool ok = false;
  std::string error;
  Efficiency efficiency;
  CostCounters cost;
  double compile_seconds = 0;
  std::vector<ParameterSummary> summaries;
};

StanRun run_stan(const StanModel& model, const std::string& dir, const BenchOptions& options,
                 int64_t warmup, int64_t draws) {
  std::filesystem::create_directories(dir);
  write_file_atomically(dir + "/data.R", model.data);
  const std::string command = "Rscript " + stan_dir() + "/run_stan.R " + stan_dir() + "/" +
                              model.program + " " + dir + "/data.R " + dir + " " +
                              std::to_string(options.chains) + " " + std::to_string(warmup) + " " +
                              std::to_string(draws) + " " + std::to_string(options.seed) +
                              " 0.8 >" + dir + "/rstan.log 2>&1";
  StanRun r;
  if (std::system(command.c_str()) != 0) {
    r.error = "Stan failed: see " + dir + "/rstan.log";
    return r;
  }
  std::ifstream in(dir + "/stan.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  const LongDraws d = read_long_draws(dir + "/draws.csv");
  r.cost.wall_seconds = j.at("sampling_seconds").get<double>();
  r.cost.gradient_evals = j.at("gradient_evals").get<int64_t>();
  r.compile_seconds = j.at("compile_seconds").get<double>();
  r.summaries = summarize_all(d.names, d.parameters);
  r.efficiency = efficiency(r.summaries, r.cost);
  r.ok = true;
  return r;
}

}  // namespace

namespace {

/// Largest R-hat over parameters.
double max_rhat(const std::vector<ParameterSummary>& summaries) {
  double worst = 0;
  for (const ParameterSummary& p : summaries) worst = std::max(worst, p.rhat);
  return worst;
}

/// Both samplers' numbers for one target over seeds.
struct StanBenchSeeds {
  std::vector<double> min_ess, ess_per_second, ess_per_grad, us_per_grad, rhat;
  std::vector<int64_t> gradient_evals;
  void add(const Efficiency& e, const CostCounters& cost, double r) {
    min_ess.push_back(e.min_ess_bulk);
    gradient_evals.push_back(cost.gradient_evals);
    ess_per_second.push_back(e.ess_per_second);
    ess_per_grad.push_back(e.ess_per_gradient_eval);
    us_per_grad.push_back(1e6 * cost.wall_seconds / static_cast<double>(cost.gradient_evals));
    rhat.push_back(r);
  }
  nlohmann::json to_json() const {
    return {{"min_ess_bulk", min_ess},          {"gradient_evals", gradient_evals},
            {"ess_per_second", ess_per_second}, {"ess_per_gradient_eval", ess_per_grad},
            {"us_per_gradient", us_per_grad},   {"max_rhat", rhat}};
  }
};

/// A folder name for a target spec.
std::string folder_of(const std::string& spec) {
  std::string folder = spec;
  for (char& c : folder) {
    if (c == ':' || c == '=' || c == ',') c = '_';
  }
  return folder;
}

}  // namespace

nlohmann::json run_stan_bench(const BenchOptions& options, const std::string& out_dir) {
  BenchOptions o = options;
  if (o.chains == 0) o.chains = 4;
  const int64_t warmup = o.quick ? 200 : 1000, draws = o.quick ? 200 : 2000;
  const int64_t seeds = o.seeds > 0 ? o.seeds : (o.quick ? 1 : 3);
  const std::vector<std::string> targets = {"blr:data=german", "icg", "funnel:d=10,sigma=3",
                                            "funnel3", "scg"};
  const bool with_stan = rstan_available();
  const std::string dir = out_dir.empty() ? "stan-bench" : out_dir;
  if (!with_stan) {
    std::printf(
        "Stan not found (Rscript with rstan): printing ebmc's numbers only. To compare in the "
        "same run: apt-get install r-cran-rstan\n");
  }
  std::printf(
      "\nNUTS, diag metric, adapt_delta 0.8, %lld chains x (%lld warmup + %lld draws), one "
      "thread, %lld seed(s) from %llu (mean ± SE); min bulk-ESS over parameters per sampling "
      "second and per gradient; Stan's time is its sampling time summed over chains run one "
      "after another; R-hat: the largest over parameters and seeds\n",
      static_cast<long long>(o.chains), static_cast<long long>(warmup),
      static_cast<long long>(draws), static_cast<long long>(seeds),
      static_cast<unsigned long long>(o.seed));
  std::printf("%-20s %17s %17s %6s %11s %11s %6s %9s %9s %6s %12s %6s\n", "target", "ebmc ESS/s",
              "Stan ESS/s", "ratio", "ebmc ESS/gr", "Stan ESS/gr", "ratio", "ebmc us/gr",
              "Stan us/gr", "ratio", "R-hat e/S", "means");
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::pair<std::string, double>> stan_rates;  // for the 1024-chain table
  for (const std::string& spec : targets) {
    if (!only_selects(o.only, {spec})) continue;
    const std::unique_ptr<Target> target = make_target(spec);
    const StanModel model = stan_model_of(*target);
    StanBenchSeeds ours, theirs;
    int64_t off = 0;
    std::string stan_error;
    for (int64_t k = 0; k < seeds; ++k) {
      BenchOptions run = o;
      run.seed = o.seed + static_cast<uint64_t>(k);
      const Measurement m = measure(spec, *target, "nuts", run, warmup, draws);
      ours.add(m.efficiency, m.cost, max_rhat(m.summaries));
      if (!with_stan || model.program.empty()) continue;
      const StanRun stan =
          run_stan(model, dir + "/" + folder_of(spec) + "/seed" + std::to_string(run.seed), run,
                   warmup, draws);
      if (!stan.ok) {
        stan_error = stan.error;
        continue;
      }
      theirs.add(stan.efficiency, stan.cost, max_rhat(stan.summaries));
      // Posterior means agree within 4 combined Monte Carlo standard errors (ebmc's MCSE from
      // its draws; Stan's is comparable): the two samplers target the same posterior.
      for (size_t i = 0; i < m.summaries.size() && i < stan.summaries.size(); ++i) {
        off += std::abs(m.summaries[i].mean - stan.summaries[i].mean) >
               4 * std::sqrt(2.0) * m.summaries[i].mcse_mean;
      }
    }
    nlohmann::json row = {{"target", spec}, {"seeds", seeds}, {"ebmc", ours.to_json()}};
    const double ess_s = mean_finite(ours.ess_per_second);
    const double ess_gr = mean_finite(ours.ess_per_grad), us = mean_finite(ours.us_per_grad);
    if (!theirs.ess_per_second.empty()) {
      const double stan_ess_s = mean_finite(theirs.ess_per_second);
      const double stan_ess_gr = mean_finite(theirs.ess_per_grad);
      const double stan_us = mean_finite(theirs.us_per_grad);
      char rhat[32];
      std::snprintf(rhat, sizeof rhat, "%.3f/%.3f", max_finite(ours.rhat), max_finite(theirs.rhat));
      std::printf("%-20s %17s %17s %5.2fx %11.5f %11.5f %5.2fx %9.2f %9.2f %5.2fx %12s %6s\n",
                  spec.c_str(), mean_se(ours.ess_per_second, "%.1f").c_str(),
                  mean_se(theirs.ess_per_second, "%.1f").c_str(), ess_s / stan_ess_s, ess_gr,
                  stan_ess_gr, ess_gr / stan_ess_gr, us, stan_us, us / stan_us, rhat,
                  off == 0 ? "agree" : (std::to_string(off) + " off").c_str());
      row["stan"] = theirs.to_json();
      row["ratio_ess_per_second"] = ess_s / stan_ess_s;
      row["ratio_us_per_gradient"] = us / stan_us;
      row["means_off_by_more_than_4_mcse"] = off;
      stan_rates.emplace_back(spec, stan_ess_s);
    } else {
      std::printf("%-20s %17s %17s %6s %11.5f %11s %6s %9.2f %9s %6s %12.3f %6s\n", spec.c_str(),
                  mean_se(ours.ess_per_second, "%.1f").c_str(), "-", "", ess_gr, "-", "", us, "-",
                  "", max_finite(ours.rhat), "");
      stan_rates.emplace_back(spec, std::nan(""));
      if (!stan_error.empty()) {
        std::printf("  %s\n", stan_error.c_str());
        row["stan_error"] = stan_error;
      }
    }
    std::fflush(stdout);
    rows.push_back(row);
  }

  // The many-chain regime: ebmc's 1024 chains at once against Stan running as many chains one
  // after another. Stan's ESS per second on one core does not depend on how many chains it runs
  // in sequence (ESS and time both grow with the chains), so its 4-chain rate is the
  // extrapolation; on several cores both sides scale alike.
  const int64_t many = o.quick ? 64 : 1024, many_warmup = o.quick ? 100 : 200,
                many_draws = o.quick ? 100 : 300;
  std::printf(
      "\n%lld chains x (%lld warmup + %lld draws), one thread: ebmc's pooled min bulk-ESS per "
      "sampling second against Stan's rate above (4 chains; the same for %lld chains run one "
      "after another on one core)\n",
      static_cast<long long>(many), static_cast<long long>(many_warmup),
      static_cast<long long>(many_draws), static_cast<long long>(many));
  std::printf("%-20s %12s %12s %8s %11s %9s\n", "target", "ebmc ESS/s", "Stan ESS/s", "ratio",
              "ebmc us/gr", "R-hat");
  nlohmann::json many_rows = nlohmann::json::array();
  for (const auto& [spec, stan_rate] : stan_rates) {
    const std::unique_ptr<Target> target = make_target(spec);
    BenchOptions run = o;
    run.chains = many;
    const Measurement m = measure(spec, *target, "nuts", run, many_warmup, many_draws);
    const double us = 1e6 * m.cost.wall_seconds /
                      static_cast<double>(std::max<int64_t>(m.cost.gradient_evals, 1));
    std::printf("%-20s %12.1f %12.1f %7.1fx %11.2f %9.3f\n", spec.c_str(),
                m.efficiency.ess_per_second, stan_rate, m.efficiency.ess_per_second / stan_rate, us,
                max_rhat(m.summaries));
    std::fflush(stdout);
    many_rows.push_back({{"target", spec},
                         {"chains", many},
                         {"ebmc", to_json(m)},
                         {"stan_ess_per_second_extrapolated", json_number(stan_rate)}});
  }
  return {{"rows", rows},
          {"many_chains", many_rows},
          {"with_stan", with_stan},
          {"chains", o.chains},
          {"seeds", seeds}};
}

}  // namespace ebmc::bench
