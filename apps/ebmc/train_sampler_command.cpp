#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/progress.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/training_log.h"
#include "ebmc/learned/learned_registry.h"
#include "ebmc/learned/robust_training.h"
#include "ebmc/learned/sampler_trainer.h"
#include "ebmc/learned/training_defaults.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_report.h"
#include "ebmc/targets/registry.h"

namespace ebmc::cli {

namespace {

struct TrainArgs {
  std::string target;
  std::string sampler;
  // Unset: the target's defaults (sampler_training_defaults).
  std::optional<int64_t> steps;
  std::optional<int64_t> batch;
  uint64_t seed = 1;
  std::string out;
  std::optional<double> learning_rate;
  double min_learning_rate = 1e-5;
  std::string schedule;  // empty: the sampler's paper's choice
  double clip = -1;      // negative: the sampler's default
  std::optional<double> anneal_from;
  double init_scale = 1.0;
  int64_t checkpoint_every = 500;
  bool resume = false;
  bool allow_degenerate = false;
  int64_t restarts = 2;
  int64_t check_transitions = 400;
  bool report = false;
  bool progress = stderr_is_terminal();
};

/// One progress line: on a terminal redrawn in place every few iterations, otherwise printed at
/// every twentieth of the run.
class TrainingReporter {
 public:
  TrainingReporter(std::string label, bool redraw) : label_(std::move(label)), redraw_(redraw) {}
  void operator()(const TrainingProgress& p) {
    const int64_t every = redraw_ ? 10 : std::max<int64_t>(1, p.steps / 20);
    const bool last = p.iteration == p.steps;
    if (p.iteration % every != 0 && !last) return;
    char line[256];
    std::snprintf(
        line, sizeof line,
        "%s  iter %lld/%lld  loss %.4g  accept %.3f  esjd %.4g%s  lr %.2e  T %.2f  %.1f s",
        label_.c_str(), static_cast<long long>(p.iteration), static_cast<long long>(p.steps),
        p.loss, p.accept, p.esjd,
        std::isnan(p.entropy) ? "" : ("  entropy " + std::to_string(p.entropy)).c_str(),
        p.learning_rate, p.temperature, p.seconds);
    std::cerr << (redraw_ ? "\r" : "") << line << (redraw_ && !last ? "" : "\n") << std::flush;
  }

 private:
  std::string label_;
  bool redraw_;
};

void run_train(TrainArgs args) {
  // Under `ebmc launch` or torchrun: data-parallel, rank 0 writes and reports.
  const DistributedSettings dist = distributed_settings_from_environment();
  const bool writes = !dist.distributed() || dist.rank == 0;
  check_output_file(args.out, "--out");
  if (args.report) require_gnuplot("--report");
  if (args.restarts < 0) throw InputError("must be >= 0", "--restarts");
  if (args.check_transitions < 0) throw InputError("must be >= 0", "--check-transitions");
  std::unique_ptr<Target> target = make_target(args.target);
  const std::string checkpoint = args.out + ".ckpt";
  std::string kernel_name;
  TrainerOptions options;
  {
    // The sampler's paper's schedule and clipping are the defaults.
    Rng probe(args.seed);
    const auto kernel = make_learned_kernel(args.sampler, target->dim(), probe);
    kernel_name = kernel->name();
    const SamplerTrainingDefaults defaults = sampler_training_defaults(target->name());
    const std::string sampler = sampler_spec_with_defaults(args.sampler, kernel_name, defaults);
    const bool target_defaults = sampler != args.sampler;
    if (target_defaults && writes) {
      std::cerr << "ebmc: " << args.target << ": training " << sampler
                << " (this target's default options)\n";
    }
    args.sampler = sampler;
    options = default_trainer_options(defaults, *kernel);
    // The model file and the summary say which recipe this is, not only stderr.
    options.recipe(target_defaults
                       ? sampler + " (ebmc's default recipe for " + target->name() +
                             "; the paper's options are the sampler's own defaults)"
                       : sampler);
    if (args.steps) options.steps(*args.steps);
    if (args.batch) options.batch(*args.batch);
    if (args.learning_rate) options.learning_rate(*args.learning_rate);
    if (args.anneal_from) options.anneal_from(*args.anneal_from);
    if (!args.schedule.empty()) options.schedule(parse_schedule(args.schedule));
    if (args.clip >= 0) options.clip_norm(args.clip);
    options.min_learning_rate(args.min_learning_rate)
        .init_scale(args.init_scale)
        .checkpoint_every(args.checkpoint_every)
        .checkpoint_path(checkpoint);
    options.validate();
  }
  refuse_unresumed_checkpoint(checkpoint, args.resume);
  std::unique_ptr<ProcessGroup> group = join_job(dist, options.batch());
  install_interrupt_handlers();
  RestartOptions restart;
  // A resumed run continues the attempt its checkpoint holds; it does not restart.
  restart.restarts = args.resume || args.allow_degenerate ? 0 : args.restarts;
  restart.check_transitions = args.check_transitions;
  std::unique_ptr<TrainingReporter> reporter;
  // The training curves, one row per iteration of this process (of the last attempt).
  std::unique_ptr<TrainingLog> log;
  AttemptHooks hooks;
  hooks.before = [&](SamplerTrainer& trainer, int64_t attempt) {
    std::string label = kernel_name + " on " + args.target;
    if (attempt > 0) label += " (restart " + std::to_string(attempt) + ")";
    reporter = std::make_unique<TrainingReporter>(label, stderr_is_terminal());
    if (group) trainer.set_data_parallel(*group);
    log = std::make_unique<TrainingLog>(
        args.out + ".training.csv",
        std::vector<std::string>{"iteration", "loss", "accept", "esjd", "learning_rate",
                                 "temperature", "skipped", "seconds"});
    if (!args.resume) return;
    const std::string from = file_to_resume(checkpoint, args.out);
    trainer.resume(from);
    if (writes) {
      std::cerr << "resumed at iteration " << trainer.iteration() << " from " << from << "\n";
    }
  };
  hooks.report = [&](const TrainingProgress& p, int64_t) {
    if (!writes) return;
    log->add({static_cast<double>(p.iteration), p.loss, p.accept, p.esjd, p.learning_rate,
              p.temperature, static_cast<double>(p.skipped), p.seconds});
    if (args.progress) (*reporter)(p);
  };
  hooks.after = [&](TrainingAttempt& a) {
    if (writes) log->write();
    if (args.report && writes)
      std::cerr << "report: " << write_training_report(log->path()) << "\n";
    throw_if_interrupted(a.trainer->interrupted(), a.trainer->iteration(), checkpoint);
  };
  // Every rank judges the attempt alike (the same kernel and chains): they restart together.
  hooks.restarting = [&](const TrainingAttempt& a, uint64_t next_seed) {
    if (!writes) return;
    std::cerr << "ebmc: training attempt " << a.attempt + 1 << " failed: " << a.failure
              << "; restarting with fresh networks (seed " << next_seed << ")\n";
    std::filesystem::remove(checkpoint);
  };
  TrainingAttempt a =
      train_until_usable(args.sampler, args.target, *target, options, args.seed, restart, hooks);
  SamplerTrainer& trainer = *a.trainer;
  fail_training_if(
      args.allow_degenerate ? "" : a.failure, "model", checkpoint, args.out,
      [&] {
        if (writes) trainer.save_checkpoint(checkpoint);
      },
      "; --allow-degenerate saves it anyway, --restarts tries more initializations, "
      "--check-transitions a longer check");
  if (!writes) return;
  if (!a.failure.empty()) std::cerr << "ebmc: warning: " << a.failure << "\n";
  trainer.save_checkpoint(args.out);
  std::filesystem::remove(checkpoint);
  std::printf(
      "trained %s on %s: %lld iterations, %.1f s; final batch accept %.3f, esjd %.4g, step size "
      "%.4g%s\nmodel: %s\n",
      a.kernel->name().c_str(), args.target.c_str(), static_cast<long long>(trainer.iteration()),
      a.last.seconds, a.last.accept, a.last.esjd, a.kernel->step_size(),
      a.last.skipped > 0
          ? (", " + std::to_string(a.last.skipped) + " non-finite steps skipped").c_str()
          : "",
      args.out.c_str());
  if (a.check.transitions > 0) {
    std::printf(
        "check: %lld chains x %lld transitions from the training chains: max R-hat %.3f, "
        "acceptance %.3f, esjd %.4g (untrained %.4g)\n",
        static_cast<long long>(a.check.chains), static_cast<long long>(a.check.transitions),
        a.check.max_rhat, a.check.accept, a.check.esjd, a.untrained.esjd);
  }
  std::printf("recipe: %s\n", a.kernel->training().dump().c_str());
  print_collectives_summary(group.get(), a.last.seconds);
}

}  // namespace

void add_train_sampler_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train-sampler",
      "Train a learned kernel (L2HMC or the proposal-entropy sampler) on a target and save it "
      "for `ebmc sample --sampler NAME:model=PATH`");
  cmd->add_option("--target", args->target, "target NAME[:key=value,...], see `ebmc list`")
      ->required();
  cmd->add_option("--sampler", args->sampler,
                  "learned sampler NAME[:key=value,...], see `ebmc list`")
      ->required();
  cmd->add_option("--steps", args->steps, "training iterations (default 5000; mog: 500)");
  cmd->add_option("--batch", args->batch, "training chains per iteration (default 200)");
  cmd->add_option("--seed", args->seed, "random seed (networks, masks, chains)")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_flag("--report", args->report,
                "also write MODEL.training.html: training curves (needs gnuplot); the curves "
                "themselves are always in MODEL.training.csv");
  cmd->add_option("--out", args->out,
                  "model file; a checkpoint OUT.ckpt is kept while training runs")
      ->required();
  cmd->add_option("--lr", args->learning_rate, "Adam learning rate (default 1e-3; mog: 1e-2)");
  cmd->add_option("--min-lr", args->min_learning_rate, "final learning rate of the schedule")
      ->capture_default_str();
  cmd->add_option("--schedule", args->schedule,
                  "cosine | exponential (default: the sampler's paper's, see README)");
  cmd->add_option("--clip", args->clip,
                  "gradient L2-norm clip, 0 = off (default: the sampler's paper's, see README)");
  cmd->add_option("--anneal-from", args->anneal_from,
                  "initial temperature, annealed to 1 over 3/4 of training (for mixtures; default "
                  "1, mog: 32)");
  cmd->add_option("--init-scale", args->init_scale, "training chains start from N(0, s^2 I)")
      ->capture_default_str();
  cmd->add_option("--checkpoint-every", args->checkpoint_every,
                  "iterations between checkpoints (0 = none)")
      ->capture_default_str();
  cmd->add_flag("--allow-degenerate", args->allow_degenerate,
                "save the model even when training failed (acceptance or step size collapsed, "
                "chains that do not mix, ESJD no better than untrained)");
  cmd->add_option("--restarts", args->restarts,
                  "when training fails, retrain up to this many times with fresh networks (seed "
                  "+ 1000003 k)")
      ->capture_default_str();
  cmd->add_option("--check-transitions", args->check_transitions,
                  "transitions of the trained and the untrained kernel from the training chains "
                  "that judge whether training succeeded (0 = no check)")
      ->capture_default_str();
  cmd->add_flag("--resume", args->resume,
                "continue from OUT.ckpt (or extend the finished model OUT to --steps)");
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress on stderr (default: on when stderr is a terminal)");
  cmd->callback([args]() { run_train(*args); });
}

}  // namespace ebmc::cli
