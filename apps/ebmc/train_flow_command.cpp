#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/progress.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/flows/flow_trainer.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/training_log.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_report.h"
#include "ebmc/targets/data_sets.h"
#include "ebmc/targets/registry.h"

namespace ebmc::cli {

namespace {

struct TrainFlowArgs {
  std::string target;
  std::string data;
  int64_t data_size = 16384;
  std::string flow = "realnvp";
  std::string objective;  // empty: forward with --data, reverse with --target
  int64_t steps = 2000;
  int64_t batch = 256;
  double learning_rate = 1e-2;
  double min_learning_rate = 1e-4;
  std::string schedule = "cosine";
  double clip = 10.0;
  uint64_t seed = 1;
  std::string out;
  int64_t checkpoint_every = 500;
  bool resume = false;
  bool report = false;
  bool progress = stderr_is_terminal();
};

void run_train_flow(const TrainFlowArgs& args) {
  // Under `ebmc launch` or torchrun: data-parallel, rank 0 writes and reports.
  const DistributedSettings dist = distributed_settings_from_environment();
  const bool writes = !dist.distributed() || dist.rank == 0;
  check_output_file(args.out, "--out");
  if (args.report) require_gnuplot("--report");
  if (args.target.empty() == args.data.empty()) {
    throw InputError("give exactly one of --target (reverse KL) and --data (maximum likelihood)",
                     "command line");
  }
  const FlowObjective objective =
      args.objective.empty()
          ? (args.data.empty() ? FlowObjective::kReverseKl : FlowObjective::kForwardKl)
          : parse_flow_objective(args.objective);
  FlowTrainerOptions options;
  options.steps(args.steps)
      .batch(args.batch)
      .learning_rate(args.learning_rate)
      .min_learning_rate(args.min_learning_rate)
      .schedule(parse_schedule(args.schedule))
      .clip_norm(args.clip)
      .checkpoint_every(args.checkpoint_every)
      .checkpoint_path(args.out + ".ckpt");
  options.validate();

  // What the flow is fitted to: data (a file, or exact draws from a target) or a target's energy.
  std::unique_ptr<Target> target;
  TrainingData data;
  if (!args.target.empty()) {
    target = make_target(args.target);
    if (objective == FlowObjective::kForwardKl) {
      data = load_training_data(args.target, args.data_size, args.seed);  // exact draws
    }
  } else {
    if (objective == FlowObjective::kReverseKl) {
      throw InputError("reverse KL needs a target's energy: use --target", "--objective");
    }
    data = load_training_data(args.data, args.data_size, args.seed);
  }
  const int64_t dim = target ? target->dim() : data.x.size(1);
  Rng init_rng(args.seed);
  std::shared_ptr<Flow> flow = make_flow(args.flow, dim, init_rng);
  flow->set_fitted_to(args.target.empty() ? "data " + args.data : "target " + args.target);
  std::unique_ptr<FlowTrainer> trainer =
      objective == FlowObjective::kReverseKl
          ? std::make_unique<FlowTrainer>(flow, *target, options, args.seed)
          : std::make_unique<FlowTrainer>(flow, data.x, options, args.seed);

  const std::string checkpoint = options.checkpoint_path();
  refuse_unresumed_checkpoint(checkpoint, args.resume);
  std::unique_ptr<ProcessGroup> group = join_job(dist, args.batch);
  if (group) trainer->set_data_parallel(*group);
  if (args.resume) {
    const std::string from = file_to_resume(checkpoint, args.out);
    trainer->resume(from);
    if (writes) {
      std::cerr << "resumed at iteration " << trainer->iteration() << " from " << from << "\n";
    }
  }

  TrainingLog log(args.out + ".training.csv",
                  {"iteration", "loss", "learning_rate", "skipped", "seconds"});
  const bool redraw = stderr_is_terminal();
  const std::string label =
      flow->name() + (objective == FlowObjective::kReverseKl
                          ? " reverse KL on " + args.target
                          : " max likelihood on " + (args.data.empty() ? args.target : args.data));
  FlowTrainingProgress last;
  install_interrupt_handlers();
  trainer->train([&](const FlowTrainingProgress& p) {
    last = p;
    if (!writes) return;
    log.add({static_cast<double>(p.iteration), p.loss, p.learning_rate,
             static_cast<double>(p.skipped), p.seconds});
    if (!args.progress) return;
    const int64_t every = redraw ? 10 : std::max<int64_t>(1, p.steps / 20);
    if (p.iteration % every != 0 && p.iteration != p.steps) return;
    char line[256];
    std::snprintf(line, sizeof line, "%s  iter %lld/%lld  loss %.5g  lr %.2e  %.1f s",
                  label.c_str(), static_cast<long long>(p.iteration),
                  static_cast<long long>(p.steps), p.loss, p.learning_rate, p.seconds);
    std::cerr << (redraw ? "\r" : "") << line << (redraw && p.iteration != p.steps ? "" : "\n")
              << std::flush;
  });
  if (writes) log.write();
  if (args.report && writes) std::cerr << "report: " << write_training_report(log.path()) << "\n";
  throw_if_interrupted(trainer->interrupted(), trainer->iteration(), checkpoint);
  fail_training_if(skipped_iterations_failure(last.iteration, last.skipped), "flow", checkpoint,
                   args.out, [&] {
                     if (writes) trainer->save_checkpoint(checkpoint);
                   });
  if (!writes) return;
  trainer->save_checkpoint(args.out);
  std::filesystem::remove(checkpoint);
  std::printf("trained %s (%s) on %s: %lld iterations, %.1f s; final loss %.5g\nflow: %s\n",
              flow->name().c_str(),
              objective == FlowObjective::kReverseKl ? "reverse KL" : "maximum likelihood",
              args.data.empty() ? args.target.c_str() : args.data.c_str(),
              static_cast<long long>(trainer->iteration()), last.seconds, last.loss,
              args.out.c_str());
  print_collectives_summary(group.get(), last.seconds);
}

}  // namespace

void add_train_flow_command(CLI::App& app) {
  auto args = std::make_shared<TrainFlowArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train-flow",
      "Fit a normalizing flow to data (maximum likelihood) or to a target (reverse KL) and save "
      "it for the flow samplers (`--sampler flowmc:flow=PATH`, imh, isir, neutra)");
  cmd->add_option("--target", args->target,
                  "target NAME[:key=value,...]: reverse KL on its energy (or, with --objective "
                  "forward, maximum likelihood on its exact draws)");
  cmd->add_option("--data", args->data,
                  "CSV file of points (header + numeric columns), or a target that draws exact "
                  "samples (two_to_one, rings, gaussian_mixture_4:d=32, ...)");
  cmd->add_option("--data-size", args->data_size, "draws when --data names a target")
      ->capture_default_str();
  cmd->add_option("--flow", args->flow, "flow NAME[:key=value,...], see `ebmc list`")
      ->capture_default_str();
  cmd->add_option("--objective", args->objective,
                  "forward (maximum likelihood; default with --data) | reverse (default with "
                  "--target)");
  cmd->add_option("--steps", args->steps, "Adam steps")->capture_default_str();
  cmd->add_option("--batch", args->batch, "data rows or flow draws per step")
      ->capture_default_str();
  cmd->add_option("--lr", args->learning_rate, "Adam learning rate")->capture_default_str();
  cmd->add_option("--min-lr", args->min_learning_rate, "final learning rate of the schedule")
      ->capture_default_str();
  cmd->add_option("--schedule", args->schedule, "cosine | exponential | constant")
      ->capture_default_str();
  cmd->add_option("--clip", args->clip, "gradient L2-norm clip, 0 = off")->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed (networks, data draws, minibatches)")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_option("--out", args->out, "flow file; a checkpoint OUT.ckpt is kept while training")
      ->required();
  cmd->add_option("--checkpoint-every", args->checkpoint_every,
                  "iterations between checkpoints (0 = none)")
      ->capture_default_str();
  cmd->add_flag("--resume", args->resume,
                "continue from OUT.ckpt (or extend the finished flow OUT to --steps)");
  cmd->add_flag("--report", args->report,
                "also write OUT.training.html: training curves (needs gnuplot); the curves are "
                "always in OUT.training.csv");
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress on stderr (default: on when stderr is a terminal)");
  cmd->callback([args]() { run_train_flow(*args); });
}

}  // namespace ebmc::cli
