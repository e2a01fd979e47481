#pragma once
/// @file metric.h
/// Diagonal Euclidean metric of Hamiltonian and Langevin kernels: momentum p ~ N(0, M) with
/// M⁻¹ = diag(inverse_metric), kinetic energy ½ pᵀM⁻¹p.

#include <torch/torch.h>

#include "ebmc/core/rng.h"

namespace ebmc {

/// A per-chain diagonal metric, stored as the inverse mass (the variance estimate Stan adapts).
/// `inverse` is [chains, dim] or broadcastable to it (e.g. [1, dim] for identity).
struct DiagonalMetric {
  torch::Tensor inverse;  ///< M⁻¹ diagonal, [chains, dim] or [1, dim]

  /// The identity metric in `dim` dimensions for `chains` chains.
  static DiagonalMetric identity(int64_t chains, int64_t dim);
  /// Draws p ~ N(0, M) for states shaped like `x`.
  torch::Tensor sample_momentum(const torch::Tensor& x, Rng& rng) const;
  /// ½ pᵀ M⁻¹ p per chain, [chains].
  torch::Tensor kinetic_energy(const torch::Tensor& p) const;
  /// dK/dp = M⁻¹ p (Stan's "sharp" momentum), [chains, dim].
  torch::Tensor velocity(const torch::Tensor& p) const;
};

}  // namespace ebmc
