// `ebmc stein ksd|lksd|fssd`: goodness-of-fit tests of a model (any continuous target with a
// gradient) against data, without samples from the model or its normalizing constant.

#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/spec.h"
#include "ebmc/stein/fssd.h"
#include "ebmc/stein/ksd.h"
#include "ebmc/targets/data_sets.h"
#include "ebmc/targets/registry.h"

namespace ebmc::cli {

namespace {

struct SteinArgs {
  std::string model;
  std::string data;
  int64_t rows = 1000;
  uint64_t seed = 1;
  std::string kernel = "median";
  int64_t bootstrap = 1000;
  int64_t locations = 5;
  int64_t optimize_steps = 200;
  bool json = false;
};

/// The RBF bandwidth `--kernel` asks for: 0 for the median heuristic.
double parse_bandwidth(const std::string& text) {
  if (text == "median" || text == "rbf" || text == "rbf:bandwidth=median") return 0;
  const std::string prefix = "rbf:bandwidth=";
  if (text.rfind(prefix, 0) == 0) {
    const std::string value = text.substr(prefix.size());
    try {
      size_t used = 0;
      const double h = std::stod(value, &used);
      if (used == value.size() && std::isfinite(h) && h > 0) return h;
    } catch (const std::exception&) {
    }
    throw InputError("bandwidth must be a finite number > 0 or median, got '" + value + "'",
                     "--kernel");
  }
  throw InputError(
      "kernel must be rbf:bandwidth=H, rbf:bandwidth=median or median, got '" + text + "'",
      "--kernel");
}

void print(const SteinTestResult& r, bool json) {
  if (json) {
    std::cout << r.to_json().dump(2) << '\n';
    return;
  }
  std::printf("%s statistic %.6g (n = %lld", r.test.c_str(), r.statistic,
              static_cast<long long>(r.n));
  if (r.bandwidth > 0) std::printf(", RBF bandwidth %.4g", r.bandwidth);
  std::printf("), p-value %.4g: %s at level 0.05\n", r.p_value,
              r.p_value < 0.05 ? "reject H0 (the data do not look drawn from the model)"
                               : "no evidence against the model");
}

void run_stein(const std::string& test, const SteinArgs& args) {
  if (args.rows < 2) throw InputError("needs at least 2 rows", "--rows");
  const double bandwidth = parse_bandwidth(args.kernel);
  std::unique_ptr<Target> model = make_target(args.model);
  // The model's dimension is checked before the data are drawn or read.
  const TrainingData data = load_training_data(args.data, args.rows, args.seed + 1);
  Rng rng(args.seed);
  SteinTestResult result;
  if (test == "fssd") {
    FssdOptions options;
    options.locations = args.locations;
    options.optimize_steps = args.optimize_steps;
    options.bandwidth = bandwidth;
    result = fssd_test(*model, data.x, options, rng);
  } else {
    KsdOptions options;
    options.bandwidth = bandwidth;
    options.bootstrap = args.bootstrap;
    result =
        test == "ksd" ? ksd_test(*model, data.x, options, rng) : lksd_test(*model, data.x, options);
  }
  result.extra["model"] = args.model;
  result.extra["data"] = args.data;
  print(result, args.json);
}

void add_common(CLI::App* cmd, SteinArgs& args) {
  cmd->add_option("--model", args.model, "the model: a continuous target spec (see `ebmc list`)")
      ->required();
  cmd->add_option("--data", args.data,
                  "CSV file of points (header + numeric columns), or a target that draws exact "
                  "samples (e.g. gbrbm:seed=1)")
      ->required();
  cmd->add_option("--rows", args.rows, "draws when --data names a target")->capture_default_str();
  cmd->add_option("--seed", args.seed, "random seed (bootstrap, locations, data draws)")
      ->capture_default_str()
      ->check(seed_validator());
  cmd->add_flag("--json", args.json, "print the result as JSON");
}

}  // namespace

void add_stein_command(CLI::App& app) {
  CLI::App* stein = app.add_subcommand(
      "stein", "Stein-discrepancy goodness-of-fit tests of an unnormalized model against data");
  stein->require_subcommand(1);
  const auto add_kernel_test = [&](const std::string& name, const std::string& summary) {
    auto args = std::make_shared<SteinArgs>();
    CLI::App* cmd = stein->add_subcommand(name, summary);
    add_common(cmd, *args);
    cmd->add_option("--kernel", args->kernel,
                    "RBF kernel exp(-|x-y|^2/(2h^2)): rbf:bandwidth=H or median (heuristic)")
        ->capture_default_str();
    if (name == "ksd") {
      cmd->add_option("--bootstrap", args->bootstrap, "wild-bootstrap replicates")
          ->capture_default_str()
          ->check(CLI::PositiveNumber);
    }
    if (name == "fssd") {
      cmd->add_option("--locations", args->locations, "test locations J")
          ->capture_default_str()
          ->check(CLI::PositiveNumber);
      cmd->add_option("--optimize-steps", args->optimize_steps,
                      "Adam steps tuning locations and bandwidth on 20% of the rows (0 = none)")
          ->capture_default_str()
          ->check(CLI::NonNegativeNumber);
    }
    cmd->callback([name, args]() { run_stein(name, *args); });
  };
  add_kernel_test("ksd",
                  "quadratic-time kernelized Stein discrepancy (U-statistic, wild bootstrap)");
  add_kernel_test("lksd", "linear-time kernelized Stein discrepancy (normal approximation)");
  add_kernel_test("fssd", "finite-set Stein discrepancy with optimized test locations");
}

}  // namespace ebmc::cli
