#pragma once
/// @file learned_ising.h
/// `--model ising`: an Ising model with dense learned couplings (structure learning,
/// grathwohl-2021 section 7.1 / F.2).

#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "ebmc/discrete/ising.h"
#include "ebmc/ebm/discrete_energy_model.h"

namespace ebmc {

/// f(x) = sᵀJs + bᵀs (s = 2x − 1) with trainable J (symmetric, zero diagonal, from the upper
/// triangle of a free matrix) and b, both starting at 0.
class LearnedIsing : public DiscreteEnergyModel {
 public:
  explicit LearnedIsing(int64_t sites);
  int64_t sites() const override { return upper_.size(0); }
  std::string kind() const override { return "ising"; }
  /// J [D, D], differentiable in the parameters.
  torch::Tensor couplings() const;
  /// b [D].
  const torch::Tensor& bias() const { return bias_; }
  torch::Tensor log_prob(const torch::Tensor& x) const override;
  /// An IsingModel with a copy of J and b.
  std::unique_ptr<DiscreteTarget> snapshot() const override;
  /// Σ_{i<j}|J_ij|.
  torch::Tensor penalty() const override;
  /// J.
  torch::Tensor interaction_strengths() const override { return couplings(); }
  /// Σᵢ log σ(2sᵢ(2(Js)ᵢ + bᵢ)).
  torch::Tensor pseudo_log_likelihood(const torch::Tensor& x) const override;

 private:
  torch::Tensor upper_, bias_;
};

/// Options of `--model ising` (none: the size comes from the data).
struct LearnedIsingOptions {
  void validate() const {}
  void visit_fields(OptionVisitor&) {}
};

}  // namespace ebmc
