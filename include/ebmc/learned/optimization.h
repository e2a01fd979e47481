#pragma once
/// @file optimization.h
/// The pieces of a gradient step every trainer shares (learned kernels, flows, EBMs): learning-rate
/// schedules, setting Adam's rate, and a step that skips non-finite gradients.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"

namespace ebmc {

/// Learning-rate schedules.
enum class Schedule {
  kCosine,       ///< cosine annealing from learning_rate to min_learning_rate (li-chen-sommer-2021)
  kExponential,  ///< learning_rate · 0.96^(iteration/1000), floored at min_learning_rate (L2HMC)
  kConstant,     ///< learning_rate throughout (grenioux-2023's flows and EBMs)
};

/// Parses `cosine`, `exponential` or `constant`; throws InputError at `where` otherwise.
Schedule parse_schedule(const std::string& text, const std::string& where = "--schedule");
/// The name `parse_schedule` reads.
std::string schedule_name(Schedule schedule);

/// The learning rate of `schedule` at `iteration` of `steps`.
double scheduled_learning_rate(Schedule schedule, double learning_rate, double min_learning_rate,
                               int64_t iteration, int64_t steps);

/// Sets the learning rate of every parameter group of `optimizer`.
void set_learning_rate(torch::optim::Adam& optimizer, double learning_rate);

/// After `backward()`: when `loss` and every gradient of `parameters` are finite, clips the
/// gradient to L2 norm `clip_norm` (0 = no clipping), takes the optimizer step and returns true;
/// otherwise changes nothing and returns false (the caller counts a skipped step).
bool step_if_finite(torch::optim::Optimizer& optimizer,
                    const std::vector<torch::Tensor>& parameters, double loss, double clip_norm);

/// Writes a training loop's resumable state into a checkpoint: the optimizer (`optimizer`), the
/// one-stream generator's state (`rng`) and the iteration and skipped-step counts (`iteration`).
void write_trainer_state(torch::serialize::OutputArchive& archive,
                         torch::optim::Optimizer& optimizer, Rng& rng, int64_t iteration,
                         int64_t skipped);
/// Restores what `write_trainer_state` wrote (c10::Error when the keys are missing).
void read_trainer_state(torch::serialize::InputArchive& archive, torch::optim::Optimizer& optimizer,
                        Rng& rng, int64_t& iteration, int64_t& skipped);

/// Writes `module` under `key` and `optimizer` under `key_optimizer` (a companion network and
/// its Adam in a checkpoint).
void write_module_and_optimizer(torch::serialize::OutputArchive& archive, const std::string& key,
                                torch::nn::Module& module, torch::optim::Optimizer& optimizer);
/// Reads back what `write_module_and_optimizer` wrote under `key`.
void read_module_and_optimizer(torch::serialize::InputArchive& archive, const std::string& key,
                               torch::nn::Module& module, torch::optim::Optimizer& optimizer);

}  // namespace ebmc
