#pragma once
/// @file sampler_trainer.h
/// Training a learned kernel: Adam, learning-rate schedule, gradient clipping, temperature
/// annealing, atomic checkpoints and resumption.

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

#include "ebmc/core/rng.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/learned/learned_kernel.h"
#include "ebmc/learned/training_loop.h"

namespace ebmc {

/// Options of `SamplerTrainer`.
struct TrainerOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  /// The training recipe the model file records (`training` in its metadata): every option that
  /// shapes the result, not where checkpoints go.
  nlohmann::json to_json() const;
  /// Training iterations (Adam steps).
  TORCH_ARG(int64_t, steps) = 5000;
  /// Persistent training chains (and fresh draws per iteration, for L2HMC's burn-in term).
  TORCH_ARG(int64_t, batch) = 200;
  TORCH_ARG(double, learning_rate) = 1e-3;
  TORCH_ARG(double, min_learning_rate) = 1e-5;
  TORCH_ARG(Schedule, schedule) = Schedule::kCosine;
  /// Clip the gradient to this L2 norm (0 turns clipping off).
  TORCH_ARG(double, clip_norm) = 10.0;
  /// Initial temperature; annealed geometrically to 1 over the first 3/4 of training (1 = off).
  TORCH_ARG(double, anneal_from) = 1.0;
  /// Initial distribution π₀ = N(0, init_scale² I) of the chains and fresh draws.
  TORCH_ARG(double, init_scale) = 1.0;
  /// Write a checkpoint every this many iterations (0 = never).
  TORCH_ARG(int64_t, checkpoint_every) = 500;
  /// Where checkpoints go (empty = none).
  TORCH_ARG(std::string, checkpoint_path) = "";
  /// The sampler spec as trained and where its options came from (e.g. a target's default
  /// recipe), recorded in the model file with the options above.
  TORCH_ARG(std::string, recipe) = "";
};

/// What the trainer reports after each iteration.
struct TrainingProgress {
  int64_t iteration = 0;  ///< iterations done
  int64_t steps = 0;      ///< iterations in all
  double loss = 0, accept = 0, esjd = 0, entropy = 0;
  double learning_rate = 0, temperature = 1;
  int64_t skipped = 0;  ///< iterations whose gradient was not finite (no update made)
  double seconds = 0;   ///< wall time of training so far (this process)
};

/// Trains a learned kernel on a target (Algorithm 1 of levy-2018; appendix A.2 of
/// li-chen-sommer-2021): every iteration evaluates the kernel's `training_loss` on the
/// persistent chains and fresh draws from π₀, clips the gradient and takes an Adam step.
///
///     ebmc::SamplerTrainer trainer(kernel, target, ebmc::TrainerOptions().steps(2000), 1);
///     trainer.train([](const ebmc::TrainingProgress& p) { ... });
///     ebmc::save_learned_kernel("model.pt", *kernel);
class SamplerTrainer {
 public:
  SamplerTrainer(std::shared_ptr<LearnedKernel> kernel, const Target& target,
                 TrainerOptions options, uint64_t seed);

  /// Data-parallel training over `group` (which must outlive the trainer; call before `resume`
  /// and `train`): every rank holds the whole batch of training chains and the same random
  /// stream, evaluates its contiguous rows (`BatchShare`), and the loop sums the gradients; the
  /// chains are gathered after every iteration, so every rank's state — and rank 0's
  /// checkpoints — are those of one process training the whole batch (up to the rounding of
  /// the sums). InputError at `--batch` when a rank would get no chain.
  void set_data_parallel(ProcessGroup& group);
  /// Restores the kernel, optimizer, chains, random state and iteration count from a
  /// checkpoint of an earlier run of the same configuration. Throws InputError if the
  /// checkpoint belongs to another kernel or target, or was written by another world size.
  void resume(const std::string& checkpoint);
  /// Trains up to `steps` iterations, calling `report` after each one.
  void train(const std::function<void(const TrainingProgress&)>& report = nullptr);
  /// Writes the checkpoint (kernel + optimizer + chains + RNG state) atomically to `path`.
  void save_checkpoint(const std::string& path);

  int64_t iteration() const { return loop_.iteration; }
  /// True when SIGINT/SIGTERM stopped `train` early (after writing the checkpoint).
  bool interrupted() const { return loop_.interrupted; }
  const torch::Tensor& chains() const { return chains_; }

 private:
  double temperature_at(int64_t iteration) const;

  std::shared_ptr<LearnedKernel> kernel_;
  const Target& target_;
  TrainerOptions options_;
  Rng rng_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  torch::Tensor chains_;
  TrainingLoopState loop_;
  ProcessGroup* group_ = nullptr;
  BatchShare share_;  ///< the whole batch unless data-parallel
};

}  // namespace ebmc
