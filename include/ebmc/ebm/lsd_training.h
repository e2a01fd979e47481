#pragma once
/// @file lsd_training.h
/// EBM training by the Learned Stein Discrepancy (grathwohl-2020 Algorithm 3): a critic
/// f_φ: ℝᴰ → ℝᴰ is trained to maximize the LSD of the current model on data minibatches, and
/// the model to minimize it. Sample-free: only the model's score ∇ₓ log q_θ is needed.

#include <torch/torch.h>

#include <memory>

#include "ebmc/ebm/ebm_method.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

/// Options of `lsd` (defaults: grathwohl-2020 B.4).
struct LsdTrainingOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("hidden", hidden(), "critic width (Swish MLP)");
    v.field("layers", layers(), "critic hidden layers");
    v.field("critic_steps", critic_steps(), "critic updates per model update, C");
    v.field("critic_lr", critic_lr(), "critic's Adam learning rate (betas 0.5, 0.9)");
    v.field("lambda", lambda(), "L2 penalty on the critic, lambda (eq. 8)");
    v.field("dropout", dropout(), "critic dropout while training");
    v.field("weight_decay", weight_decay(), "critic's Adam weight decay");
  }
  TORCH_ARG(int64_t, hidden) = 300;
  TORCH_ARG(int64_t, layers) = 2;
  TORCH_ARG(int64_t, critic_steps) = 5;
  TORCH_ARG(double, critic_lr) = 1e-3;
  TORCH_ARG(double, lambda) = 0.5;
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(double, weight_decay) = 0.0;
};

/// `lsd`: per model step, `critic_steps` Adam steps of the critic on fresh data minibatches of
/// the model's batch size (Hutchinson's trace, eq. 11 − λ·eq. 8), then the model's loss
/// mean ∇ₓlog q_θ(x)ᵀf(x) + tr ∇f(x) on the minibatch (the critic fixed: the LSD estimate,
/// whose θ-gradient is that of its first term).
class LsdTraining : public SampleFreeMethod {
 public:
  explicit LsdTraining(LsdTrainingOptions options);
  std::string name() const override { return "lsd"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  /// Builds the critic and keeps the data for the critic's minibatches.
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  bool data_parallel() const override { return true; }
  torch::Tensor sample_free_loss(EnergyModel& model, const torch::Tensor& positives,
                                 Rng& rng) override;
  void save(torch::serialize::OutputArchive& archive) override;
  void load(torch::serialize::InputArchive& archive) override;

 private:
  LsdTrainingOptions options_;
  torch::Tensor data_;
  Mlp critic_{nullptr};
  std::unique_ptr<torch::optim::Adam> critic_optimizer_;
};

/// The model's score ∇ₓ log q_θ(x) = −∇ₓ(E_θ − log ρ) at `x` [n, D]; with `create_graph` it
/// stays differentiable in θ.
torch::Tensor energy_model_score(EnergyModel& model, const torch::Tensor& x, bool create_graph);

}  // namespace ebmc
