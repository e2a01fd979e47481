#pragma once
/// @file deep_discrete_ebm.h
/// `--model deep`: a neural energy on binary data (grathwohl-2021 section 8 / appendix I).

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "ebmc/ebm/discrete_energy_model.h"

namespace ebmc {

/// Options of `--model deep`.
struct DeepDiscreteEbmOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("width", width(), "hidden units per layer");
    v.field("depth", depth(), "hidden layers");
  }
  TORCH_ARG(int64_t, width) = 256;
  TORCH_ARG(int64_t, depth) = 2;
};

/// f(x) = MLP_θ(x) + bᵀx: a Swish MLP (x · σ(x), as appendix I) plus the log-density of a
/// Bernoulli base with the data's means (b their log-odds, fixed), as the authors' code does;
/// the output layer starts at 0, so the model starts as the base.
class DeepDiscreteEbm : public DiscreteEnergyModel {
 public:
  DeepDiscreteEbm(int64_t sites, const DeepDiscreteEbmOptions& options, Rng& rng);
  int64_t sites() const override { return base_.size(0); }
  std::string kind() const override { return "deep"; }
  torch::Tensor log_prob(const torch::Tensor& x) const override;
  /// A LiveModelTarget (∇ₓf by autograd; shares the parameters).
  std::unique_ptr<DiscreteTarget> snapshot() const override;
  /// b = log-odds of the data's means (clamped to [1e-3, 1 − 1e-3]).
  void initialize_from_data(const torch::Tensor& x) override;

 private:
  std::vector<torch::nn::Linear> layers_;
  torch::Tensor base_;
};

}  // namespace ebmc
