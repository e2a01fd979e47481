#pragma once
/// @file discrete_pcd.h
/// Persistent contrastive divergence for discrete energy-based models (Tieleman 2008;
/// grathwohl-2021 section 7): persistent chains advanced by any registered discrete sampler
/// under the current model give the negative phase, Adam takes the step, an ℓ1 penalty makes the
/// couplings sparse. The model here is an Ising model with a dense learned J (structure learning,
/// appendix F.2).

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/core/rng.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/learned/training_loop.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// An Ising model f(x) = sᵀJs + bᵀs (s = 2x − 1) with trainable J (symmetric, zero diagonal,
/// from the upper triangle of a free matrix) and b, both starting at 0.
class LearnedIsing : public torch::nn::Module {
 public:
  explicit LearnedIsing(int64_t sites);
  int64_t sites() const { return upper_.size(0); }
  /// J [D, D], differentiable in the parameters.
  torch::Tensor couplings() const;
  /// Σ_{i<j}|J_ij|, differentiable (the ℓ1 penalty of PCD and pseudo-likelihood).
  torch::Tensor couplings_l1() const;
  /// b [D].
  const torch::Tensor& bias() const { return bias_; }
  /// f(x) [chains] for x [chains, D] in {0, 1}, differentiable in the parameters.
  torch::Tensor log_prob(const torch::Tensor& x) const;
  /// The current model as a sampling target (a copy: later updates do not change it).
  IsingModel snapshot() const;

 private:
  torch::Tensor upper_, bias_;
};

/// Options of the PCD trainer (defaults: grathwohl-2021 F.2's Ising runs, scaled).
struct DiscretePcdOptions {
  int64_t steps = 1000;          ///< Adam steps
  int64_t batch = 256;           ///< data rows and persistent chains per step
  int64_t sampler_steps = 10;    ///< sampler steps per iteration on the persistent chains, K
  std::string sampler = "gwg";   ///< discrete sampler spec for the negative phase
  double learning_rate = 1e-3;   ///< Adam's
  double l1 = 0.01;              ///< λ of λ·Σ_{i<j}|J_ij|
  int64_t checkpoint_every = 0;  ///< iterations between checkpoints (0 = never)
  std::string checkpoint_path;   ///< empty = no checkpoints
  void validate() const;
};

/// What the trainer reports after each iteration.
struct DiscretePcdProgress {
  int64_t iteration = 0, steps = 0;
  double loss = 0;    ///< −(mean f(data) − mean f(negatives)) + ℓ1 penalty
  double rmse = NAN;  ///< RMSE of J against the true couplings, when known
  double flips = 0;   ///< mean sites changed per chain per sampler step
  double seconds = 0;
};

/// The negative log-likelihood gradient surrogate: mean f(negatives) − mean f(positives) +
/// λ·Σ_{i<j}|J_ij|; its gradient is that of −log-likelihood with the model's expectation
/// replaced by the negatives'.
torch::Tensor pcd_loss(const LearnedIsing& model, const torch::Tensor& positives,
                       const torch::Tensor& negatives, double l1);

/// RMSE of `learned` against `truth` couplings ([D, D]) over the pairs i < j.
double couplings_rmse(const torch::Tensor& learned, const torch::Tensor& truth);

/// Trains `model` on binary `data` [N, D] by PCD.
class DiscretePcdTrainer {
 public:
  DiscretePcdTrainer(std::shared_ptr<LearnedIsing> model, torch::Tensor data,
                     DiscretePcdOptions options, uint64_t seed);
  /// Report RMSE against these true couplings [D, D].
  void set_true_couplings(torch::Tensor j) { true_couplings_ = std::move(j); }
  /// Runs the remaining iterations, calling `report` after each; checkpoints every
  /// `checkpoint_every` and stops after a checkpoint on SIGINT/SIGTERM (see `interrupted`).
  void train(const std::function<void(const DiscretePcdProgress&)>& report = {});
  /// Writes the model, optimizer, generator, iteration and chains to `path` (atomically).
  void save_checkpoint(const std::string& path);
  /// Continues from a checkpoint of the same configuration (sites, sampler, steps, batch);
  /// InputError naming the file otherwise.
  void resume(const std::string& path);
  int64_t iteration() const { return loop_.iteration; }
  int64_t skipped() const { return loop_.skipped; }
  bool interrupted() const { return loop_.interrupted; }
  /// RMSE of the learned J against the true couplings over the pairs i < j.
  double couplings_rmse() const;
  const torch::Tensor& chains() const { return chains_; }

 private:
  std::shared_ptr<LearnedIsing> model_;
  torch::Tensor data_, chains_, true_couplings_;
  DiscretePcdOptions options_;
  Rng rng_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  std::unique_ptr<DiscreteKernel> kernel_;  ///< the negative phase's sampler
  TrainingLoopState loop_;
  /// What a checkpoint must match to be resumed.
  nlohmann::json configuration() const;
};

}  // namespace ebmc
