#pragma once
/// @file ebm_trainer.h
/// Maximum-likelihood training of an EBM with negatives from an EbmMethod: Adam on
/// E_data[E_θ] − E_neg[E_θ] (+ an L2 penalty on the energies), persistent chains, atomic
/// checkpoints and bit-exact resumption.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/ebm/ebm_method.h"
#include "ebmc/ebm/energy_model.h"
#include "ebmc/learned/training_loop.h"

namespace ebmc {

/// Options of `EbmTrainer` (the defaults are grenioux-2023 C.2's).
struct EbmTrainerOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  /// The negative chains advanced per iteration: `negative_chains`, or `batch` when it is 0.
  int64_t chains_per_iteration() const {
    return negative_chains() > 0 ? negative_chains() : batch();
  }
  TORCH_ARG(int64_t, steps) = 19200;  ///< iterations (C.2: 75 epochs of 16384 / 64)
  TORCH_ARG(int64_t, batch) = 64;     ///< data rows per iteration
  /// Negative chains per iteration (0 = `batch`); a method may return several negatives per
  /// chain (grenioux-2023 Table 5's "subsampling by k": batch/k chains, k states each).
  TORCH_ARG(int64_t, negative_chains) = 0;
  TORCH_ARG(int64_t, persistent) = 1024;    ///< persistent chains (cycled through, batch at a time)
  TORCH_ARG(double, learning_rate) = 1e-2;  ///< Adam's, for the EBM
  TORCH_ARG(double, l2) = 0.0;  ///< λ of C.6's penalty λ·(mean E(x⁺)² + mean E(x⁻)²)
  TORCH_ARG(int64_t, checkpoint_every) = 1000;   ///< iterations between checkpoints (0 = never)
  TORCH_ARG(std::string, checkpoint_path) = "";  ///< empty = no checkpoints
};

/// The loss whose gradient is the negative log-likelihood gradient estimate of grenioux-2023
/// eq. 2 (appendix B: also for the tilted model): mean E(x⁺) − mean E(x⁻), plus
/// `l2`·(mean E(x⁺)² + mean E(x⁻)²). Differentiable in the model's parameters; a learned tilt
/// adds −mean log ρ(x⁺) + mean log ρ(x⁻), its own likelihood gradient.
/// Data-parallel: `positives` and `negatives` are the shares' rows and the loss is this rank's
/// part (`BatchShare::mean`).
torch::Tensor ebm_loss(EnergyModel& model, const torch::Tensor& positives,
                       const torch::Tensor& negatives, double l2,
                       const BatchShare& positive_share = BatchShare(),
                       const BatchShare& negative_share = BatchShare());

/// What the trainer reports after each iteration.
struct EbmProgress {
  int64_t iteration = 0, steps = 0;
  double loss = 0;  ///< mean E(x⁺) − mean E(x⁻) (without the penalty)
  double global_accept = std::nan(""), local_accept = std::nan("");
  int64_t skipped = 0;  ///< iterations whose loss or gradient was not finite (no update)
  double seconds = 0;
  const NegativeBatch* negatives = nullptr;  ///< this iteration's negatives
};

/// Trains `model` on `data` [N, dim] with `method`'s negatives.
///
///     auto model = std::make_shared<ebmc::NeuralEnergy>(2, ebmc::EnergyNetworkOptions(), 1.5,
///     rng); ebmc::EbmTrainer trainer(model, ebmc::make_ebm_method("flowmc"), data, options, seed);
///     trainer.train([](const ebmc::EbmProgress& p) { ... });
class EbmTrainer {
 public:
  EbmTrainer(std::shared_ptr<EnergyModel> model, std::shared_ptr<EbmMethod> method,
             torch::Tensor data, EbmTrainerOptions options, uint64_t seed);

  /// Data-parallel training over `group` (which must outlive the trainer; call before `resume`
  /// and `train`): every rank holds all persistent chains and the same random stream, draws
  /// the whole minibatch and evaluates its contiguous rows of the positives and of the
  /// iteration's negative chains (`BatchShare`); the advanced chains are gathered and the loop
  /// sums the gradients, so every rank — and rank 0's checkpoints — hold what one process
  /// training the whole batch would (up to the rounding of the sums). InputError at `--method`
  /// for methods that do not train data-parallel (`EbmMethod::data_parallel`), at `--batch` when
  /// a rank would get no row.
  void set_data_parallel(ProcessGroup& group);
  /// Trains up to `steps` iterations, calling `report` after each; stops early (after a
  /// checkpoint) on SIGINT/SIGTERM.
  void train(const std::function<void(const EbmProgress&)>& report = nullptr);
  /// Writes model, optimizer, method state (flow, …), chains, random state and iteration count
  /// atomically to `path` (a model file `ebm:model=` can read).
  void save_checkpoint(const std::string& path, const std::string& trained_on);
  /// Restores them from a checkpoint of the same configuration; InputError naming what differs.
  void resume(const std::string& checkpoint);

  int64_t iteration() const { return loop_.iteration; }
  bool interrupted() const { return loop_.interrupted; }
  /// The persistent chains [persistent, dim].
  const torch::Tensor& chains() const { return chains_; }
  const std::shared_ptr<EnergyModel>& model() const { return model_; }
  const std::shared_ptr<EbmMethod>& method() const { return method_; }
  /// The EBM as a sampling target (shares the model).
  const EbmTarget& target() const { return target_; }

 private:
  std::shared_ptr<EnergyModel> model_;
  std::shared_ptr<EbmMethod> method_;
  torch::Tensor data_;
  EbmTrainerOptions options_;
  Rng rng_;
  EbmTarget target_;
  std::vector<torch::Tensor> parameters_;  ///< the model's and the method's trainable ones
  std::unique_ptr<torch::optim::Adam> optimizer_;
  torch::Tensor chains_;
  TrainingLoopState loop_;
  ProcessGroup* group_ = nullptr;
  BatchShare positive_share_, negative_share_;  ///< whole batches unless data-parallel
};

}  // namespace ebmc
