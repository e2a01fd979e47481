#pragma once
/// @file learned_rbm.h
/// `--model rbm`: a binary restricted Boltzmann machine trained on its visible marginal.

#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "ebmc/ebm/discrete_energy_model.h"

namespace ebmc {

/// Options of `--model rbm`.
struct LearnedRbmOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("hidden", hidden(), "hidden units");
    v.field("init_sd", init_sd(),
            "sd of the starting weights (biases start at 0, visible ones at "
            "the data's log-odds)");
  }
  TORCH_ARG(int64_t, hidden) = 64;
  TORCH_ARG(double, init_sd) = 0.01;
};

/// f(x) = bᵀx + Σ_j softplus((Wx + c)_j), the hidden units summed out (as `Rbm`); W [H, D].
class LearnedRbm : public DiscreteEnergyModel {
 public:
  LearnedRbm(int64_t sites, const LearnedRbmOptions& options, Rng& rng);
  int64_t sites() const override { return weights_.size(1); }
  std::string kind() const override { return "rbm"; }
  torch::Tensor log_prob(const torch::Tensor& x) const override;
  /// An `Rbm` with a copy of the parameters (so `rbm_gibbs` can sample it too).
  std::unique_ptr<DiscreteTarget> snapshot() const override;
  /// b = log-odds of the data's means (clamped to [1e-3, 1 − 1e-3]).
  void initialize_from_data(const torch::Tensor& x) override;

 private:
  torch::Tensor weights_, visible_bias_, hidden_bias_;
};

}  // namespace ebmc
