#pragma once
/// @file training_loop.h
/// The loop every ebmc trainer runs (learned kernels, flows, EBMs): scheduled learning rate, a
/// gradient step that skips non-finite losses and gradients, periodic atomic checkpoints, a
/// checkpoint-and-stop on SIGINT/SIGTERM, and a report after each iteration.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ebmc/learned/optimization.h"

namespace ebmc {

class ProcessGroup;

/// Budget, schedule and checkpoints of a training loop.
struct TrainingLoopSettings {
  int64_t steps = 0;  ///< iterations in all
  Schedule schedule = Schedule::kConstant;
  double learning_rate = 1e-3, min_learning_rate = 0;
  double clip_norm = 0;          ///< gradient L2-norm clip (0 = off)
  int64_t checkpoint_every = 0;  ///< iterations between checkpoints (0 = never)
  std::string checkpoint_path;   ///< empty = no checkpoints
  int64_t warmup_steps = 0;  ///< linear learning-rate warm-up: × (i + 1)/warmup_steps before that
  std::function<void()>
      after_step;  ///< after every optimizer step taken (EMA weights); may be null
  /// Data-parallel training (null: one process): each rank's `body` computes its share of the
  /// batch's loss and gradients, scaled so that their sums over the ranks are the whole batch's;
  /// the loop sums them (in rank order, the same bits on every rank) before the optimizer step,
  /// agrees on SIGINT/SIGTERM in that same sum (every rank then stops after the iteration's
  /// step), and lets rank 0 alone write checkpoints.
  ProcessGroup* group = nullptr;
};

/// The settings of a trainer whose options have `steps`, `schedule`, `learning_rate`,
/// `min_learning_rate`, `clip_norm`, `checkpoint_every` and `checkpoint_path`.
template <class Options>
TrainingLoopSettings loop_settings_from(const Options& options) {
  TrainingLoopSettings settings;
  settings.steps = options.steps();
  settings.schedule = options.schedule();
  settings.learning_rate = options.learning_rate();
  settings.min_learning_rate = options.min_learning_rate();
  settings.clip_norm = options.clip_norm();
  settings.checkpoint_every = options.checkpoint_every();
  settings.checkpoint_path = options.checkpoint_path();
  return settings;
}

/// The counters a training loop advances (and a checkpoint keeps).
struct TrainingLoopState {
  int64_t iteration = 0;     ///< iterations done
  int64_t skipped = 0;       ///< iterations whose loss or gradient was not finite (no step)
  bool interrupted = false;  ///< the loop stopped at SIGINT/SIGTERM
};

/// What the loop body gives back: the loss after `backward()` has been called on it.
using LossAndBackward = std::function<double(double learning_rate)>;
/// Writes a checkpoint to `path`; `interrupted` says whether the run was stopped by a signal.
using CheckpointWriter = std::function<void(const std::string& path, bool interrupted)>;
/// Called after each iteration with its loss, learning rate and the seconds since the loop began.
using AfterIteration = std::function<void(double loss, double learning_rate, double seconds)>;

/// Runs iterations `state.iteration` … `settings.steps − 1`: stops after a checkpoint when a
/// signal arrived; sets the scheduled learning rate; zeroes the gradients; calls `body`; steps
/// `optimizer` when the loss and every gradient of `parameters` are finite (else counts a skipped
/// iteration); checkpoints every `checkpoint_every` iterations; calls `after` (may be null).
void run_training_loop(const TrainingLoopSettings& settings, torch::optim::Adam& optimizer,
                       const std::vector<torch::Tensor>& parameters, TrainingLoopState& state,
                       const LossAndBackward& body, const CheckpointWriter& checkpoint,
                       const AfterIteration& after);

/// "" when at most half of `iterations` were skipped, otherwise why the training failed
/// ("S of N iterations had a non-finite loss or gradient").
std::string skipped_iterations_failure(int64_t iterations, int64_t skipped);

/// The file a `--resume` continues: `checkpoint` when it exists (an interrupted run), else
/// `finished` (extending a finished run); InputError at `--resume` when neither exists.
std::string file_to_resume(const std::string& checkpoint, const std::string& finished);

/// InputError naming `checkpoint` when it exists and the run does not resume: a fresh run would
/// overwrite an interrupted one.
void refuse_unresumed_checkpoint(const std::string& checkpoint, bool resume);

/// Interrupted ("interrupted at iteration N; the checkpoint C holds it: continue with --resume")
/// when the loop stopped at SIGINT/SIGTERM.
void throw_if_interrupted(bool interrupted, int64_t iteration, const std::string& checkpoint);

/// When `failure` is not empty: `save` writes the checkpoint (it keeps the failed run), then
/// RunFailed at `where`: "training failed: FAILURE; no PRODUCT written (the checkpoint C keeps
/// the run`hint`)".
void fail_training_if(const std::string& failure, const std::string& product,
                      const std::string& checkpoint, const std::string& where,
                      const std::function<void()>& save, const std::string& hint = "");

}  // namespace ebmc
