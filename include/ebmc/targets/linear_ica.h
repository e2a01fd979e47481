#pragma once
/// @file linear_ica.h
/// The linear ICA model of grathwohl-2020 section 8.1: x = Wz, z ~ Laplace(0, 1)ᴰ.

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// log p(x; W) = log p_z(W⁻¹x) − log|det W| (eq. 14), normalized:
/// U(x) = ‖W⁻¹x‖₁ + D log 2 + log|det W|, ∇U(x) = W⁻ᵀ sign(W⁻¹x).
class LinearIca : public Target, public ExactSampler {
 public:
  /// `mixing` W [D, D], non-singular.
  explicit LinearIca(torch::Tensor mixing);
  /// W with standard-normal entries drawn from `seed` (again until its condition number is
  /// below D, appendix B.5).
  static LinearIca random(int64_t dim, uint64_t seed);

  int64_t dim() const override { return mixing_.size(0); }
  std::string name() const override { return "ica"; }
  const torch::Tensor& mixing() const { return mixing_; }
  /// `n` draws Wz with z Laplace(0, 1) coordinates.
  torch::Tensor sample_exact(int64_t n, Rng& rng) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  torch::Tensor mixing_, unmixing_;  ///< W, W⁻¹
  double log_normalizer_;            ///< D log 2 + log|det W|
};

/// Options of `ica`.
struct LinearIcaOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension D (W is D x D)");
    v.field("seed", seed(), "seed of the mixing matrix W");
  }
  TORCH_ARG(int64_t, d) = 10;
  TORCH_ARG(int64_t, seed) = 0;
};

}  // namespace ebmc
