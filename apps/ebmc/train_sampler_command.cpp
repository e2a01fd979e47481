#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/progress.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/training_log.h"
#include "ebmc/learned/learned_registry.h"
#include "ebmc/learned/sampler_trainer.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_report.h"
#include "ebmc/targets/registry.h"

namespace ebmc::cli {

namespace {

struct TrainArgs {
  std::string target;
  std::string sampler;
  int64_t steps = 5000;
  int64_t batch = 200;
  uint64_t seed = 1;
  std::string out;
  double learning_rate = 1e-3;
  double min_learning_rate = 1e-5;
  std::string schedule;  // empty: the sampler's paper's choice
  double clip = -1;      // negative: the sampler's default
  double anneal_from = 1.0;
  double init_scale = 1.0;
  int64_t checkpoint_every = 500;
  bool resume = false;
  bool allow_degenerate = false;
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

/// Why a trained kernel is unusable, or "" when it is not: acceptance that collapsed over the
/// last tenth of training, a step size that collapsed, or most iterations skipped.
std::string degeneracy(const LearnedKernel& kernel, const TrainingProgress& last,
                       double recent_accept) {
  if (!(recent_accept >= 1e-3)) {
    return "the acceptance collapsed (mean " + std::to_string(recent_accept) +
           " over the last tenth of training)";
  }
  const double step = kernel.step_size();
  if (std::isfinite(step) && step < 1e-8) {
    return "the step size collapsed to " + std::to_string(step);
  }
  return skipped_iterations_failure(last.iteration, last.skipped);
}

void run_train(const TrainArgs& args) {
  check_output_file(args.out, "--out");
  if (args.report) require_gnuplot("--report");
  std::unique_ptr<Target> target = make_target(args.target);
  Rng init_rng(args.seed);
  std::shared_ptr<LearnedKernel> kernel =
      make_learned_kernel(args.sampler, target->dim(), init_rng);
  kernel->set_trained_for(describe_target(args.target, *target));
  const std::string checkpoint = args.out + ".ckpt";
  TrainerOptions options;
  options.steps(args.steps)
      .batch(args.batch)
      .learning_rate(args.learning_rate)
      .min_learning_rate(args.min_learning_rate)
      .schedule(args.schedule.empty() ? kernel->default_schedule() : parse_schedule(args.schedule))
      .clip_norm(args.clip < 0 ? kernel->default_clip_norm() : args.clip)
      .anneal_from(args.anneal_from)
      .init_scale(args.init_scale)
      .checkpoint_every(args.checkpoint_every)
      .checkpoint_path(checkpoint);
  SamplerTrainer trainer(kernel, *target, options, args.seed);
  refuse_unresumed_checkpoint(checkpoint, args.resume);
  if (args.resume) {
    const std::string from = file_to_resume(checkpoint, args.out);
    trainer.resume(from);
    std::cerr << "resumed at iteration " << trainer.iteration() << " from " << from << "\n";
  }
  TrainingReporter reporter(kernel->name() + " on " + args.target, stderr_is_terminal());
  TrainingProgress last;
  // Mean acceptance over the last tenth of training: the kernel the model file would hold.
  const int64_t tail = std::max<int64_t>(1, args.steps / 10);
  double tail_accept = 0;
  int64_t tail_count = 0;
  // The training curves, one row per iteration of this process.
  TrainingLog log(args.out + ".training.csv",
                  {"iteration", "loss", "accept", "esjd", "learning_rate", "temperature", "skipped",
                   "seconds"});
  install_interrupt_handlers();
  trainer.train([&](const TrainingProgress& p) {
    last = p;
    log.add({static_cast<double>(p.iteration), p.loss, p.accept, p.esjd, p.learning_rate,
             p.temperature, static_cast<double>(p.skipped), p.seconds});
    if (p.iteration > p.steps - tail) {
      tail_accept += p.accept;
      ++tail_count;
    }
    if (args.progress) reporter(p);
  });
  log.write();
  if (args.report) std::cerr << "report: " << write_training_report(log.path()) << "\n";
  throw_if_interrupted(trainer.interrupted(), trainer.iteration(), checkpoint);
  const std::string degenerate =
      degeneracy(*kernel, last, tail_count > 0 ? tail_accept / tail_count : last.accept);
  fail_training_if(
      args.allow_degenerate ? "" : degenerate, "model", checkpoint, args.out,
      [&] { trainer.save_checkpoint(checkpoint); }, "; --allow-degenerate saves it anyway");
  trainer.save_checkpoint(args.out);
  std::filesystem::remove(checkpoint);
  std::printf(
      "trained %s on %s: %lld iterations, %.1f s; final batch accept %.3f, esjd %.4g, step size "
      "%.4g%s\nmodel: %s\n",
      kernel->name().c_str(), args.target.c_str(), static_cast<long long>(trainer.iteration()),
      last.seconds, last.accept, last.esjd, kernel->step_size(),
      last.skipped > 0 ? (", " + std::to_string(last.skipped) + " non-finite steps skipped").c_str()
                       : "",
      args.out.c_str());
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
  cmd->add_option("--steps", args->steps, "training iterations")->capture_default_str();
  cmd->add_option("--batch", args->batch, "training chains per iteration")->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed (networks, masks, chains)")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_flag("--report", args->report,
                "also write MODEL.training.html: training curves (needs gnuplot); the curves "
                "themselves are always in MODEL.training.csv");
  cmd->add_option("--out", args->out,
                  "model file; a checkpoint OUT.ckpt is kept while training runs")
      ->required();
  cmd->add_option("--lr", args->learning_rate, "Adam learning rate")->capture_default_str();
  cmd->add_option("--min-lr", args->min_learning_rate, "final learning rate of the schedule")
      ->capture_default_str();
  cmd->add_option("--schedule", args->schedule,
                  "cosine | exponential (default: the sampler's paper's, see README)");
  cmd->add_option("--clip", args->clip,
                  "gradient L2-norm clip, 0 = off (default: the sampler's paper's, see README)");
  cmd->add_option("--anneal-from", args->anneal_from,
                  "initial temperature, annealed to 1 over 3/4 of training (for mixtures)")
      ->capture_default_str();
  cmd->add_option("--init-scale", args->init_scale, "training chains start from N(0, s^2 I)")
      ->capture_default_str();
  cmd->add_option("--checkpoint-every", args->checkpoint_every,
                  "iterations between checkpoints (0 = none)")
      ->capture_default_str();
  cmd->add_flag("--allow-degenerate", args->allow_degenerate,
                "save the model even when training failed (acceptance or step size collapsed)");
  cmd->add_flag("--resume", args->resume,
                "continue from OUT.ckpt (or extend the finished model OUT to --steps)");
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress on stderr (default: on when stderr is a terminal)");
  cmd->callback([args]() { run_train(*args); });
}

}  // namespace ebmc::cli
