#pragma once
/// @file discrete_pcd.h
/// Persistent contrastive divergence for discrete energy-based models (Tieleman 2008;
/// grathwohl-2021 sections 7–8, appendices F.2, H, I): a buffer of persistent chains, a random
/// batch of which any registered discrete sampler advances under the current model each
/// iteration (optionally re-started from the data's site marginals, AIS's `fitted_base`: the
/// replay buffer of appendix I), Adam with linear warm-up, the model's sparsity penalty (ℓ1 for
/// Ising, eq. 34's block-ℓ1 for Potts) and EMA weights.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/diagnostics/ais.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/ebm/discrete_energy_model.h"
#include "ebmc/ebm/learned_ising.h"
#include "ebmc/learned/training_loop.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// Options of the PCD trainer (defaults: grathwohl-2021 F.2's Ising runs, scaled).
struct DiscretePcdOptions {
  int64_t steps = 1000;         ///< Adam steps
  int64_t batch = 256;          ///< data rows and chains per step
  int64_t buffer = 0;           ///< persistent chains (0 = batch: every chain every step)
  double reinit = 0;            ///< probability that a drawn chain restarts from the base
  int64_t sampler_steps = 10;   ///< sampler steps per iteration on the drawn chains, K
  std::string sampler = "gwg";  ///< discrete sampler spec for the negative phase
  double learning_rate = 1e-3;  ///< Adam's
  int64_t warmup = 0;           ///< iterations of linear learning-rate warm-up
  double l1 = 0.01;             ///< weight of the model's penalty (ignored when it has none)
  double ema = 0;               ///< EMA decay of the weights kept beside the trained ones (0 = off)
  std::string model_spec;       ///< the `--model` spec (checkpoints record it)
  int64_t checkpoint_every = 0;  ///< iterations between checkpoints (0 = never)
  std::string checkpoint_path;   ///< empty = no checkpoints
  void validate() const;
};

/// What the trainer reports after each iteration.
struct DiscretePcdProgress {
  int64_t iteration = 0, steps = 0;
  double loss = 0;      ///< mean f(negatives) − mean f(data) + λ·penalty
  double rmse = NAN;    ///< RMSE of the interaction strengths against the truth, when known
  double flips = 0;     ///< mean sites changed per chain per sampler step
  double accept = NAN;  ///< mean acceptance probability of the sampler's steps (MH samplers)
  double learning_rate = 0;
  double seconds = 0;
};

/// The negative log-likelihood gradient surrogate: mean f(negatives) − mean f(positives) +
/// λ·penalty; its gradient is that of −log-likelihood with the model's expectation replaced by
/// the negatives'.
/// Data-parallel: `positives` and `negatives` are `share`'s rows and the loss is this rank's part.
torch::Tensor pcd_loss(const DiscreteEnergyModel& model, const torch::Tensor& positives,
                       const torch::Tensor& negatives, double l1,
                       const BatchShare& share = BatchShare());

/// RMSE of `learned` against `truth` ([D, D]) over the pairs i < j.
double couplings_rmse(const torch::Tensor& learned, const torch::Tensor& truth);

/// Throws InputError at `--data` unless `x` is a batch of `model`'s states: binary [N, D] or
/// one-hot [N, D, K].
void check_model_states(const DiscreteEnergyModel& model, const torch::Tensor& x);

/// Trains `model` on `data` (its states) by PCD.
class DiscretePcdTrainer {
 public:
  DiscretePcdTrainer(std::shared_ptr<DiscreteEnergyModel> model, torch::Tensor data,
                     DiscretePcdOptions options, uint64_t seed);
  /// Report RMSE of the interaction strengths against these [D, D].
  void set_true_couplings(torch::Tensor j) { true_couplings_ = std::move(j); }
  /// Data-parallel training over `group` (which must outlive the trainer; call before `resume`
  /// and `train`): every rank holds the whole replay buffer and the same random stream, runs
  /// the sampler on its contiguous rows of the iteration's chains (`Rng::rows`) and evaluates
  /// its rows of the positives; the chains are gathered and the loop sums the gradients, so every
  /// rank — and rank 0's checkpoints — hold what one process would (up to the rounding of the
  /// sums). InputError at `--batch` when a rank would get no chain.
  void set_data_parallel(ProcessGroup& group);
  /// Runs the remaining iterations, calling `report` after each; checkpoints every
  /// `checkpoint_every` and stops after a checkpoint on SIGINT/SIGTERM (see `interrupted`).
  void train(const std::function<void(const DiscretePcdProgress&)>& report = {});
  /// Writes the model, EMA weights, optimizer, generator, iteration and chains to `path`
  /// (atomically); `load_discrete_energy_model` reads it back.
  void save_checkpoint(const std::string& path);
  /// Continues from a checkpoint of the same configuration (model, sampler, steps, batch,
  /// buffer); InputError naming the file otherwise.
  void resume(const std::string& path);
  int64_t iteration() const { return loop_.iteration; }
  int64_t skipped() const { return loop_.skipped; }
  bool interrupted() const { return loop_.interrupted; }
  /// RMSE of the learned interaction strengths against the true couplings over the pairs i < j.
  double couplings_rmse() const;
  const torch::Tensor& chains() const { return chains_; }
  /// Copies the EMA weights into the model (no-op without EMA): for evaluation at the end.
  void use_ema_weights();

 private:
  std::shared_ptr<DiscreteEnergyModel> model_;
  torch::Tensor data_, chains_, true_couplings_;
  std::vector<torch::Tensor> ema_;
  DiscretePcdOptions options_;
  FactorizedBase base_;  ///< the data's site marginals: restarts of the replay buffer
  Rng rng_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  std::unique_ptr<DiscreteKernel> kernel_;  ///< the negative phase's sampler
  TrainingLoopState loop_;
  ProcessGroup* group_ = nullptr;
  BatchShare share_;  ///< the whole batch unless data-parallel
  /// What a checkpoint must match to be resumed.
  nlohmann::json configuration() const;
  /// The buffer rows this iteration advances (all of them when buffer = batch).
  torch::Tensor draw_buffer_rows();
};

/// Reads a model `save_checkpoint` wrote (its EMA weights when `ema` and it has them): the
/// registry rebuilds it from the recorded spec and shape. InputError naming `path` otherwise.
std::shared_ptr<DiscreteEnergyModel> load_discrete_energy_model(const std::string& path,
                                                                bool ema = true);

/// Options of the `discrete_ebm` target: a model trained by `ebmc train-ebm`.
struct DiscreteEbmTargetOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("model", model(), "model.pt written by `ebmc train-ebm --model ising|potts|rbm|deep`");
    v.text_choice("weights", weights(), {"ema", "raw"},
                  "the EMA weights (when trained with --ema) or the last iterate");
  }
  TORCH_ARG(std::string, model) = "";
  TORCH_ARG(std::string, weights) = "ema";
};

}  // namespace ebmc
