#pragma once
/// @file mixture.h
/// Mixtures of isotropic Gaussians (L2HMC's MoG, rings of modes).

#include <torch/torch.h>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// Σ_k w_k N(μ_k, σ_k² I): U(x) = −log Σ_k w_k N(x; μ_k, σ_k² I), with the analytic gradient
/// Σ_k r_k(x) (x − μ_k)/σ_k² (r_k the responsibilities).
class GaussianMixture : public Target, public ExactSampler {
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
  /// Component k with probability w_k (inverse CDF of one uniform), then μ_k + σ_k ξ.
  torch::Tensor sample_exact(int64_t n, Rng& rng) const override;
  /// The component whose mean is nearest to each row of x [B, D] (int64 [B]): the mode regions
  /// of grenioux-2023's mode-weight metric.
  torch::Tensor nearest_component(const torch::Tensor& x) const;

  bool has_row_energy() const override { return true; }
  double row_energy(const double* x, double* grad) const override;

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

/// Options of `mog`: L2HMC's two-mode mixture in 2-d.
struct MogOptions {
  void validate() const {}
  void visit_fields(OptionVisitor& v) {
    v.field("distance", distance(), "distance between the two modes");
    v.field("variance", variance(), "variance of each mode");
    v.field("weight", weight(), "weight of the first mode");
  }
  TORCH_ARG(double, distance) = 4.0;
  TORCH_ARG(double, variance) = 0.1;
  TORCH_ARG(double, weight) = 0.5;
};

/// Options of `ring`: equal modes on a circle in 2-d.
struct RingOptions {
  void validate() const {}
  void visit_fields(OptionVisitor& v) {
    v.field("modes", modes(), "number of modes");
    v.field("radius", radius(), "radius of the circle");
    v.field("scale", scale(), "standard deviation of each mode");
  }
  TORCH_ARG(int64_t, modes) = 8;
  TORCH_ARG(double, radius) = 4.0;
  TORCH_ARG(double, scale) = 0.3;
};

}  // namespace ebmc
