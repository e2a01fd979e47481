#pragma once
/// @file gaussian.h
/// Gaussian targets with analytic energy and gradient.

#include <torch/torch.h>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// N(mean, diag(scale²)): U(x) = ½ Σ ((x_i − mean_i) / scale_i)².
///
///     ebmc::DiagonalGaussian standard(torch::zeros({2}), torch::ones({2}));
class DiagonalGaussian : public Target, public ExactSampler {
 public:
  /// `mean` and `scale` are 1-D of equal length; every scale must be finite and positive.
  DiagonalGaussian(torch::Tensor mean, torch::Tensor scale);
  /// The D-dimensional standard normal.
  static DiagonalGaussian standard(int64_t dim);

  int64_t dim() const override { return mean_.size(0); }
  std::string name() const override { return "gaussian"; }
  /// Coordinate means.
  const torch::Tensor& mean() const { return mean_; }
  /// Coordinate standard deviations.
  const torch::Tensor& scale() const { return scale_; }
  /// `n` independent draws mean + scale ⊙ z.
  torch::Tensor sample_exact(int64_t n, Rng& rng) const override;

  bool has_row_energy() const override { return true; }
  double row_energy(const double* x, double* grad) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  torch::Tensor mean_;
  torch::Tensor scale_;
};

/// Options of `gaussian`: N(mean, scale² I) in d dimensions.
struct GaussianOptions {
  void validate() const { check_at_least(d(), 1, "gaussian", "d"); }
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension");
    v.field("mean", mean(), "mean of every coordinate");
    v.field("scale", scale(), "standard deviation of every coordinate");
  }
  TORCH_ARG(int64_t, d) = 2;
  TORCH_ARG(double, mean) = 0.0;
  TORCH_ARG(double, scale) = 1.0;
};

/// Options of `icg`: the ill-conditioned Gaussian of L2HMC, variances log-spaced 1e-2 … 1e2.
struct IcgOptions {
  void validate() const { check_at_least(d(), 1, "icg", "d"); }
  void visit_fields(OptionVisitor& v) { v.field("d", d(), "dimension"); }
  TORCH_ARG(int64_t, d) = 50;
};

/// Standard deviations of the ICG in `d` dimensions: variances log-spaced from 1e-2 to 1e2.
torch::Tensor icg_scales(int64_t d);

}  // namespace ebmc
