#pragma once
/// @file rbm_block_gibbs.h
/// Block Gibbs for restricted Boltzmann machines: all hidden units, then all visible units.

#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

class Rbm;

/// One step draws h ~ p(h | x) = Bernoulli(σ(Wx + c)) and then x′ ~ p(x | h) =
/// Bernoulli(σ(Wᵀh + b)): an exact Gibbs sweep of the joint whose x-marginal is the RBM.
/// Needs an `Rbm` target.
class RbmBlockGibbs : public DiscreteKernel {
 public:
  std::string name() const override { return "rbm_gibbs"; }
  Info step(State& state, Rng& rng) override;
  /// Σ_h p(h | x) p(x′ | h), enumerating h (at most 16 hidden units).
  torch::Tensor transition_matrix(const torch::Tensor& states) const override;

 protected:
  void prepare(const DiscreteTarget& target) override;

 private:
  const Rbm* rbm_ = nullptr;
};

}  // namespace ebmc
