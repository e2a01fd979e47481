// `ebmc stein ksd|lksd|fssd`: goodness-of-fit tests of a model (any continuous target with a
// gradient) against data, without samples from the model or its normalizing constant.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/spec.h"
#include "ebmc/stein/fssd.h"
#include "ebmc/stein/ksd.h"
#include "ebmc/stein/lsd.h"
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
  // lsd, compare
  std::vector<std::string> models;
  std::string critic = "mlp:hidden=300,layers=2";
  double lambda = 0.5;
  int64_t steps = 1000;
  double learning_rate = 1e-3;
  std::string objective;  // default: discrepancy (lsd, compare)
};

/// The LSD options of `--critic mlp:…`, `--lambda`, `--steps`, `--lr`, `--objective`.
LsdOptions lsd_options(const SteinArgs& args) {
  LsdOptions options;
  Spec critic = Spec::parse(args.critic, "--critic");
  if (critic.name() != "mlp") {
    throw InputError("critic must be mlp[:hidden=300,layers=2,dropout=0.1,weight_decay=5e-4]",
                     "--critic");
  }
  options.hidden = critic.get_int("hidden", options.hidden);
  options.layers = critic.get_int("layers", options.layers);
  options.dropout = critic.get_double("dropout", options.dropout);
  options.weight_decay = critic.get_double("weight_decay", options.weight_decay);
  critic.reject_unused();
  options.lambda = args.lambda;
  options.steps = args.steps;
  options.learning_rate = args.learning_rate;
  if (args.objective == "power") {
    options.objective = LsdObjective::kPower;
  } else if (!args.objective.empty() && args.objective != "discrepancy") {
    throw InputError("objective must be discrepancy or power, got '" + args.objective + "'",
                     "--objective");
  }
  return options;
}

/// `ebmc stein compare`: every model's LSD on the same splits, ranked (smallest first).
void run_compare(const SteinArgs& args) {
  if (args.models.size() < 2) throw InputError("compare needs at least two models", "--models");
  const LsdOptions options = lsd_options(args);
  std::vector<std::unique_ptr<Target>> models;
  for (const std::string& spec : args.models) models.push_back(make_target(spec));
  const TrainingData data = load_training_data(args.data, args.rows, args.seed + 1);
  for (const auto& model : models) check_test_data(*model, data.x, 10, "--data");
  std::vector<std::pair<double, nlohmann::json>> rows;
  for (size_t k = 0; k < models.size(); ++k) {
    Rng rng(args.seed);  // the same critic start and splits for every model
    SteinTestResult r = lsd_test(*models[k], data.x, options, rng);
    r.extra["model"] = args.models[k];
    rows.push_back({r.statistic, r.to_json()});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json ranking = nlohmann::json::array();
  for (size_t k = 0; k < rows.size(); ++k) {
    rows[k].second["rank"] = k + 1;
    ranking.push_back(rows[k].second);
  }
  if (args.json) {
    std::cout << nlohmann::json{{"data", args.data}, {"ranking", ranking}}.dump(2) << '\n';
    return;
  }
  std::printf("%-5s %-12s %-12s %s\n", "rank", "LSD", "stderr", "model");
  for (const nlohmann::json& r : ranking) {
    std::printf("%-5d %-12.5g %-12.5g %s\n", r.at("rank").get<int>(), r.at("lsd").get<double>(),
                r.at("stderr").get<double>(), r.at("model").get<std::string>().c_str());
  }
}

/// The RBF bandwidth `--kernel` asks for: 0 for the median heuristic, −1 for one learned on a
/// held-out split (`learned`).
double parse_bandwidth(const std::string& text) {
  if (text == "median" || text == "rbf" || text == "rbf:bandwidth=median") return 0;
  if (text == "learned" || text == "rbf:bandwidth=learned") return -1;
  const std::string prefix = "rbf:bandwidth=";
  if (text.rfind(prefix, 0) == 0) {
    const std::string value = text.substr(prefix.size());
    try {
      size_t used = 0;
      const double h = std::stod(value, &used);
      if (used == value.size() && std::isfinite(h) && h > 0) return h;
    } catch (const std::exception&) {
    }
    throw InputError(
        "bandwidth must be a finite number > 0, median or learned, got '" + value + "'",
        "--kernel");
  }
  throw InputError(
      "kernel must be rbf:bandwidth=H, rbf:bandwidth=median, median or learned, got '" + text +
          "'",
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
  if (test == "lsd") {
    result = lsd_test(*model, data.x, lsd_options(args), rng);
  } else if (test == "fssd") {
    FssdOptions options;
    options.locations = args.locations;
    options.optimize_steps = args.optimize_steps;
    options.bandwidth = std::max(bandwidth, 0.0);  // learned: FSSD tunes h on its own split
    result = fssd_test(*model, data.x, options, rng);
  } else {
    KsdOptions options;
    options.bandwidth = std::max(bandwidth, 0.0);
    if (bandwidth < 0) options.selection = KsdBandwidth::kLearned;
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
                    "RBF kernel exp(-|x-y|^2/(2h^2)): rbf:bandwidth=H, median (heuristic) or "
                    "learned (h that maximizes the test's power on the first 20% of the rows, "
                    "the test on the rest, as Grathwohl et al. 2020)")
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

  const auto add_lsd_options = [](CLI::App* cmd, SteinArgs& args) {
    cmd->add_option("--critic", args.critic,
                    "critic network mlp[:hidden=300,layers=2,dropout=0.1,weight_decay=5e-4]")
        ->capture_default_str();
    cmd->add_option("--lambda", args.lambda, "L2 penalty on the critic's output (eq. 8)")
        ->capture_default_str();
    cmd->add_option("--steps", args.steps, "critic training steps (full training split each)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--lr", args.learning_rate, "Adam learning rate of the critic")
        ->capture_default_str();
    cmd->add_option("--objective", args.objective,
                    "discrepancy (estimate the LSD; default) or power (train the critic for the "
                    "goodness-of-fit test, eq. 12)");
  };
  auto lsd = std::make_shared<SteinArgs>();
  CLI::App* lsd_cmd = stein->add_subcommand(
      "lsd",
      "learned Stein discrepancy: neural critic on 80% of the rows, selected on 10%, "
      "LSD, stderr and one-sided z-test on the last 10%");
  add_common(lsd_cmd, *lsd);
  add_lsd_options(lsd_cmd, *lsd);
  lsd_cmd->callback([lsd]() { run_stein("lsd", *lsd); });

  auto compare = std::make_shared<SteinArgs>();
  CLI::App* compare_cmd = stein->add_subcommand(
      "compare", "rank models by their learned Stein discrepancy on the same data and splits");
  compare_cmd->add_option("--models", compare->models, "two or more model specs")->required();
  compare_cmd->add_option("--data", compare->data, "CSV file of points, or a target to draw")
      ->required();
  compare_cmd->add_option("--rows", compare->rows, "draws when --data names a target")
      ->capture_default_str();
  compare_cmd->add_option("--seed", compare->seed, "random seed")
      ->capture_default_str()
      ->check(seed_validator());
  compare_cmd->add_flag("--json", compare->json, "print the ranking as JSON");
  add_lsd_options(compare_cmd, *compare);
  compare_cmd->callback([compare]() { run_compare(*compare); });
}

}  // namespace ebmc::cli
