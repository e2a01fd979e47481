// `ebmc bench stan`: ebmc's NUTS against Stan's on the same posteriors in one run (issue
// "faster than Stan"): the Stan programs and the R driver live in bench/stan/; ebmc writes each
// target's data in R dump format, runs `Rscript bench/stan/run_stan.R` when r-cran-rstan is
// installed, and computes both sides' ESS with its own diagnostics (R's posterior, checked).

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
  std::vector<double> means;
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
  const std::vector<ParameterSummary> s = summarize_all(d.names, d.parameters);
  for (const ParameterSummary& p : s) r.means.push_back(p.mean);
  r.efficiency = efficiency(s, r.cost);
  r.ok = true;
  return r;
}

}  // namespace

nlohmann::json run_stan_bench(const BenchOptions& options, const std::string& out_dir) {
  BenchOptions o = options;
  if (o.chains == 0) o.chains = 4;
  const int64_t warmup = o.quick ? 200 : 1000, draws = o.quick ? 200 : 2000;
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
      "thread; min bulk-ESS over parameters; Stan's time is its sampling time summed over "
      "chains run one after another\n",
      static_cast<long long>(o.chains), static_cast<long long>(warmup),
      static_cast<long long>(draws));
  std::printf("%-22s %10s %10s %7s %12s %12s %7s %11s %11s %7s %9s\n", "target", "ebmc ESS/s",
              "Stan ESS/s", "ratio", "ebmc ESS/gr", "Stan ESS/gr", "ratio", "ebmc us/gr",
              "Stan us/gr", "ratio", "means");
  nlohmann::json rows = nlohmann::json::array();
  for (const std::string& spec : targets) {
    if (!o.only.empty() && spec.find(o.only) == std::string::npos) continue;
    const std::unique_ptr<Target> target = make_target(spec);
    const Measurement m = measure(spec, *target, "nuts", o, warmup, draws);
    const double ebmc_us = 1e6 * m.cost.wall_seconds / static_cast<double>(m.cost.gradient_evals);
    nlohmann::json row = {{"target", spec}, {"ebmc", to_json(m)}};
    StanRun stan;
    const StanModel model = stan_model_of(*target);
    if (with_stan && !model.program.empty()) {
      std::string folder = spec;
      for (char& c : folder) {
        if (c == ':' || c == '=' || c == ',') c = '_';
      }
      stan = run_stan(model, dir + "/" + folder, o, warmup, draws);
    }
    if (stan.ok) {
      // Posterior means agree within 4 combined Monte Carlo standard errors (ebmc's MCSE from
      // its draws; Stan's is comparable): the two samplers target the same posterior.
      const std::vector<ParameterSummary>& ours = m.summaries;
      int64_t off = 0;
      for (size_t i = 0; i < ours.size() && i < stan.means.size(); ++i) {
        off += std::abs(ours[i].mean - stan.means[i]) > 4 * std::sqrt(2.0) * ours[i].mcse_mean;
      }
      const double stan_us =
          1e6 * stan.cost.wall_seconds / static_cast<double>(stan.cost.gradient_evals);
      std::printf("%-22s %10.1f %10.1f %6.2fx %12.4f %12.4f %6.2fx %11.2f %11.2f %6.2fx %9s\n",
                  spec.c_str(), m.efficiency.ess_per_second, stan.efficiency.ess_per_second,
                  m.efficiency.ess_per_second / stan.efficiency.ess_per_second,
                  m.efficiency.ess_per_gradient_eval, stan.efficiency.ess_per_gradient_eval,
                  m.efficiency.ess_per_gradient_eval / stan.efficiency.ess_per_gradient_eval,
                  ebmc_us, stan_us, ebmc_us / stan_us,
                  off == 0 ? "agree" : (std::to_string(off) + " off").c_str());
      row["stan"] = {{"min_ess_bulk", stan.efficiency.min_ess_bulk},
                     {"ess_per_second", stan.efficiency.ess_per_second},
                     {"ess_per_gradient_eval", stan.efficiency.ess_per_gradient_eval},
                     {"sampling_seconds", stan.cost.wall_seconds},
                     {"gradient_evals", stan.cost.gradient_evals},
                     {"compile_seconds", stan.compile_seconds}};
      row["means_off_by_more_than_4_mcse"] = off;
    } else {
      std::printf("%-22s %10.1f %10s %7s %12.4f %12s %7s %11.2f %11s %7s %9s\n", spec.c_str(),
                  m.efficiency.ess_per_second, "-", "", m.efficiency.ess_per_gradient_eval, "-", "",
                  ebmc_us, "-", "", "");
      if (!stan.error.empty()) {
        std::printf("  %s\n", stan.error.c_str());
        row["stan_error"] = stan.error;
      }
    }
    std::fflush(stdout);
    rows.push_back(row);
  }
  return {{"rows", rows}, {"with_stan", with_stan}, {"chains", o.chains}};
}

}  // namespace ebmc::bench
