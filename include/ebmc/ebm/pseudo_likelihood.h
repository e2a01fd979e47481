#pragma once
/// @file pseudo_likelihood.h
/// ℓ1-regularized pseudo-likelihood (Besag 1975; PLM, the structure-learning baseline of
/// grathwohl-2021 F.2) for Ising models: no sampler, no normalizing constant.

#include <torch/torch.h>

#include <cstdint>

#include "ebmc/ebm/discrete_pcd.h"

namespace ebmc {

/// −(1/N) Σₙ Σᵢ log p(xᵢ | x₋ᵢ) + λ·Σ_{i<j}|J_ij| for binary rows `x` [N, D]; with spins s = 2x −
/// 1, p(sᵢ | s₋ᵢ) = σ(2sᵢ(2(Js)ᵢ + bᵢ)). Differentiable in the model's parameters.
torch::Tensor pseudo_likelihood_loss(const LearnedIsing& model, const torch::Tensor& x, double l1);

/// Options of `fit_pseudo_likelihood`.
struct PseudoLikelihoodOptions {
  int64_t steps = 500;          ///< Adam steps
  int64_t batch = 0;            ///< rows per step (0 = all)
  double learning_rate = 0.01;  ///< Adam's
  double l1 = 0.01;             ///< λ
};

/// Fits `model` to binary `data` [N, D] by minimizing `pseudo_likelihood_loss` with Adam; returns
/// the last loss. Throws InputError for bad options or data.
double fit_pseudo_likelihood(LearnedIsing& model, const torch::Tensor& data,
                             const PseudoLikelihoodOptions& options, Rng& rng);

}  // namespace ebmc
