#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/progress.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/runner.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/io/run_report.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/run_sampler.h"
#include "ebmc/targets/registry.h"

namespace ebmc::cli {

namespace {

struct SampleArgs {
  std::string target;
  std::string sampler = "rwm";
  int64_t chains = 4;
  int64_t warmup = 1000;
  int64_t draws = 1000;
  int64_t thin = 1;
  uint64_t seed = 1;
  double init_radius = 2.0;
  std::string out;
  bool progress = stderr_is_terminal();
};

void create_output_folder(const std::string& out) {
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) throw InputError("cannot create output folder: " + error.message(), out);
}

/// Draws and progress callbacks for a run whose recorded columns are `names`.
struct RunOutputs {
  RunOutputs(const SampleArgs& args, const std::vector<std::string>& names)
      : writer(args.out + "/draws.csv", names), progress(std::cerr, stderr_is_terminal()) {
    callbacks.push_back(&writer);
    if (args.progress) callbacks.push_back(&progress);
  }
  CsvDrawWriter writer;
  ProgressReporter progress;
  std::vector<RunCallback*> callbacks;
};

RunResult run_continuous(const SampleArgs& args, const RunOptions& options,
                         std::vector<std::string>& names) {
  std::unique_ptr<Target> target = make_target(args.target);
  if (is_discrete_sampler(args.sampler)) {
    throw InputError("sampler '" + args.sampler + "' needs a discrete target", "--sampler");
  }
  SamplerSetup sampler = make_sampler(args.sampler);
  create_output_folder(args.out);
  Rng rng(args.seed);
  const torch::Tensor x0 = uniform_inits(args.chains, target->dim(), args.init_radius, rng);
  names = target->parameter_names();
  RunOutputs outputs(args, names);
  return run_sampler(sampler, *target, x0, rng, options, outputs.callbacks);
}

/// Discrete targets record two statistics per draw, as Zanella (2020) and the GWG paper do: the
/// Hamming distance to a fixed random reference state, and the energy −f(x).
RunResult run_discrete(const SampleArgs& args, const RunOptions& options,
                       std::vector<std::string>& names) {
  std::unique_ptr<DiscreteTarget> target = make_discrete_target(args.target);
  if (!is_discrete_sampler(args.sampler)) {
    throw InputError("sampler '" + args.sampler + "' cannot sample a discrete target", "--sampler");
  }
  std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(args.sampler);
  create_output_folder(args.out);
  Rng rng(args.seed);
  const torch::Tensor reference = target->random_states(1, rng);
  const torch::Tensor x0 = target->random_states(args.chains, rng);
  State initial = kernel->init(*target, x0);
  names = {"hamming", "energy"};
  RunOutputs outputs(args, names);
  const DiscreteTarget& model = *target;
  const Monitor monitor = [&model, &reference](const State& state) {
    return torch::stack(
        {hamming_distance(model, state.x, reference.expand_as(state.x)), state.energy}, 1);
  };
  return run_chains(*kernel, std::move(initial), rng, options, outputs.callbacks, monitor);
}

void run_sample(const SampleArgs& args) {
  if (args.chains < 1) throw InputError("chains must be >= 1", "--chains");
  if (!(args.init_radius >= 0)) throw InputError("init radius must be >= 0", "--init-radius");
  RunOptions options = RunOptions().warmup(args.warmup).draws(args.draws).thin(args.thin);
  options.validate();
  std::vector<std::string> names;
  RunResult result = is_discrete_target(args.target) ? run_discrete(args, options, names)
                                                     : run_continuous(args, options, names);
  RunReport report =
      make_run_report(args.target, args.sampler, args.seed, options, names, std::move(result));
  write_file_atomically(args.out + "/summary.json", run_report_to_json(report).dump(2) + "\n");
  const std::string text = format_run_report(report);
  write_file_atomically(args.out + "/summary.txt", text);
  std::cout << text;
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sample", "Run a sampler on a target; write DIR/draws.csv, summary.json and summary.txt");
  cmd->add_option("--target", args->target,
                  "target NAME[:key=value,...], see `ebmc list`; discrete targets record the "
                  "Hamming distance to a random reference state and the energy per draw")
      ->required();
  cmd->add_option("--sampler", args->sampler,
                  "sampler NAME[:key=value,...], see `ebmc list`; gradient samplers adapt their "
                  "step size and diagonal metric during warmup unless adapt=0")
      ->capture_default_str();
  cmd->add_option("--chains", args->chains, "number of chains run in one batch")
      ->capture_default_str();
  cmd->add_option("--warmup", args->warmup, "transitions before the first kept draw")
      ->capture_default_str();
  cmd->add_option("--draws", args->draws, "kept draws per chain")->capture_default_str();
  cmd->add_option("--thin", args->thin, "keep every N-th transition")->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed; the same seed gives the same draws")
      ->capture_default_str();
  cmd->add_option("--init-radius", args->init_radius,
                  "initial values uniform on (-R, R) in every coordinate")
      ->capture_default_str();
  cmd->add_option("--out", args->out, "output folder (created if missing)")->required();
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress bar on stderr (default: on when stderr is a terminal)");
  cmd->callback([args]() { run_sample(*args); });
}

}  // namespace ebmc::cli
