// `ebmc ais`: the log normalizing constant of a discrete target by annealed importance sampling
// and, with --data, the test-set log-likelihood of a data file under it.

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/diagnostics/ais.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/io/states_csv.h"

namespace ebmc::cli {

namespace {

struct AisArgs {
  std::string target;
  std::string base = "uniform";
  std::string data;
  AisOptions options;
  std::string schedule = "linear";
  uint64_t seed = 1;
  bool json = false;
};

/// `uniform` or `data:FILE` (site marginals of the states in FILE, smoothed).
FactorizedBase make_base(const std::string& text, const DiscreteTarget& target) {
  if (text == "uniform") return uniform_base(target);
  if (text.rfind("data:", 0) == 0 && text.size() > 5) {
    return fitted_base(target, read_states_csv(text.substr(5), target));
  }
  throw InputError("base must be uniform or data:FILE", "--base");
}

void run_ais(AisArgs args) {
  std::unique_ptr<DiscreteTarget> target = make_discrete_target(args.target);
  args.options.schedule = parse_beta_schedule(args.schedule, "--schedule");
  const FactorizedBase base = make_base(args.base, *target);
  torch::Tensor data;
  if (!args.data.empty()) data = read_states_csv(args.data, *target);  // before the long run
  Rng rng(args.seed);
  const AisResult result = annealed_importance_sampling(*target, base, args.options, rng);
  nlohmann::json out = result.to_json();
  out["target"] = args.target;
  out["sampler"] = args.options.sampler;
  out["seed"] = args.seed;
  if (data.defined()) {
    // Mean log-likelihood f(x) − log Z; its error adds the data's sampling error and log Z's.
    torch::NoGradGuard no_grad;
    const torch::Tensor f = target->log_prob(data);
    const torch::Tensor bad = ~torch::isfinite(f);
    if (bad.any().item<bool>()) {
      throw InputError("the target's log-probability is not finite at row " +
                           std::to_string(bad.nonzero()[0][0].item<int64_t>() + 1) +
                           " of the data: no log-likelihood",
                       args.data);
    }
    const double n = static_cast<double>(f.size(0));
    const double sd = f.size(0) > 1 ? f.std().item<double>() : 0.0;
    out["log_likelihood"] = f.mean().item<double>() - result.log_z;
    out["log_likelihood_stderr"] =
        std::sqrt(sd * sd / n + result.log_z_stderr * result.log_z_stderr);
    out["rows"] = f.size(0);
  }
  if (result.weights_ess < 0.1 * static_cast<double>(result.chains)) {
    std::fprintf(
        stderr,
        "ebmc: warning: weights ESS %.1f of %lld chains: the estimate is dominated by a few "
        "chains and likely biased low; use more --steps\n",
        result.weights_ess, static_cast<long long>(result.chains));
  }
  if (args.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("log Z = %.4f ± %.4f (AIS: %lld temperatures, %lld chains, weights ESS %.1f)\n",
              result.log_z, result.log_z_stderr, static_cast<long long>(result.steps),
              static_cast<long long>(result.chains), result.weights_ess);
  if (data.defined()) {
    std::printf("log-likelihood of %s: %.4f ± %.4f per row (%lld rows)\n", args.data.c_str(),
                out["log_likelihood"].get<double>(), out["log_likelihood_stderr"].get<double>(),
                out["rows"].get<long long>());
  }
}

}  // namespace

void add_ais_command(CLI::App& app) {
  auto args = std::make_shared<AisArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ais",
      "Estimate log Z of a discrete target by annealed importance sampling (and the "
      "log-likelihood of --data under it)");
  cmd->add_option("--target", args->target, "discrete target spec (see `ebmc list`)")->required();
  cmd->add_option("--base", args->base,
                  "uniform | data:FILE (independent sites fitted to the states in FILE)")
      ->capture_default_str();
  cmd->add_option("--data", args->data,
                  "CSV of states (a --save-states file, or one column per site): also print "
                  "their mean log-likelihood");
  cmd->add_option("--steps", args->options.steps, "intermediate temperatures")
      ->capture_default_str();
  cmd->add_option("--chains", args->options.chains, "AIS chains (importance samples)")
      ->capture_default_str();
  cmd->add_option("--sampler", args->options.sampler, "discrete sampler for the transitions")
      ->capture_default_str();
  cmd->add_option("--sweeps", args->options.sweeps, "sampler steps per temperature")
      ->capture_default_str();
  cmd->add_option("--schedule", args->schedule, "linear | sigmoid inverse temperatures")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "print the result as JSON");
  cmd->callback([args]() { run_ais(*args); });
}

}  // namespace ebmc::cli
