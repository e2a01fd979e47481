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

/// Budget, schedule and checkpoints of a training loop.
struct TrainingLoopSettings {
  int64_t steps = 0;  ///< iterations in all
  Schedule schedule = Schedule::kConstant;
  double learning_rate = 1e-3, min_learning_rate = 0;
  double clip_norm = 0;          ///< gradient L2-norm clip (0 = off)
  int64_t checkpoint_every = 0;  ///< iterations between checkpoints (0 = never)
  std::string checkpoint_path;   ///< empty = no checkpoints
};

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

}  // namespace ebmc
