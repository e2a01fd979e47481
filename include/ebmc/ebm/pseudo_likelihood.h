#pragma once
/// @file pseudo_likelihood.h
/// ℓ1-regularized pseudo-likelihood (Besag 1975; PLM, the structure-learning baseline of
/// grathwohl-2021 F.2 and H) for Ising and Potts models: no sampler, no normalizing constant.

#include <torch/torch.h>

#include <cstdint>

#include "ebmc/ebm/discrete_pcd.h"

namespace ebmc {

/// −(1/N) Σₙ Σᵢ log p(xᵢ | x₋ᵢ) + λ·penalty (Ising: Σ_{i<j}|J_ij|; Potts: block-ℓ1) for the
/// model's states `x`; for an Ising model with spins s = 2x − 1, p(sᵢ | s₋ᵢ) =
/// σ(2sᵢ(2(Js)ᵢ + bᵢ)). Differentiable in the model's parameters.
torch::Tensor pseudo_likelihood_loss(const DiscreteEnergyModel& model, const torch::Tensor& x,
                                     double l1);

/// Options of `fit_pseudo_likelihood`.
struct PseudoLikelihoodOptions {
  int64_t steps = 500;          ///< Adam steps
  int64_t batch = 0;            ///< rows per step (0 = all)
  double learning_rate = 0.01;  ///< Adam's
  double l1 = 0.01;             ///< λ
};

/// Fits `model` to binary `data` [N, D] by minimizing `pseudo_likelihood_loss` with Adam; returns
/// the last loss. Throws InputError for bad options or data.
double fit_pseudo_likelihood(DiscreteEnergyModel& model, const torch::Tensor& data,
                             const PseudoLikelihoodOptions& options, Rng& rng);

}  // namespace ebmc
