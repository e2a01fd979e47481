#pragma once
/// @file mixture.h
/// Mixtures of isotropic Gaussians (L2HMC's MoG, rings of modes).

#include <torch/torch.h>

#include "ebmc/core/target.h"

namespace ebmc {

/// Σ_k w_k N(μ_k, σ_k² I): U(x) = −log Σ_k w_k N(x; μ_k, σ_k² I), with the analytic gradient
/// Σ_k r_k(x) (x − μ_k)/σ_k² (r_k the responsibilities).
class GaussianMixture : public Target {
 public:
  /// `means` [K, D], `scales` [K] (σ_k > 0), `weights` [K] (normalized here, all > 0).
  GaussianMixture(torch::Tensor means, torch::Tensor scales, torch::Tensor weights,
                  std::string name = "mixture");

  int64_t dim() const override { return means_.size(1); }
  std::string name() const override { return name_; }
  const torch::Tensor& means() const { return means_; }
  const torch::Tensor& scales() const { return scales_; }
  const torch::Tensor& weights() const { return weights_; }
  /// Exact mean of the mixture, [D].
  torch::Tensor exact_mean() const;
  /// Exact per-coordinate variance of the mixture, [D].
  torch::Tensor exact_variance() const;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  /// log w_k + log N(x; μ_k, σ_k² I) for every chain and component, [B, K], from the
  /// differences x − μ_k [B, K, D].
  torch::Tensor component_log_densities(const torch::Tensor& diff) const;

  torch::Tensor means_, scales_, weights_;
  std::string name_;
};

/// L2HMC's two-mode mixture in 2-d: centres (±distance/2, 0), variance σ² each, weights w, 1−w.
GaussianMixture two_mode_mixture(double distance, double variance, double weight);

/// K equal modes on a circle of radius `radius` in the first two of 2 coordinates.
GaussianMixture ring_mixture(int64_t modes, double radius, double scale);

}  // namespace ebmc
