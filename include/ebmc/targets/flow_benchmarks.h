#pragma once
/// @file flow_benchmarks.h
/// The data distributions of grenioux-2023 (appendix C), as targets that also draw exact samples
/// (`--data NAME`): `two_to_one`, `four_modes`, `eight_gaussians`, `rings`, `gaussian_mixture_4`.

#include <torch/torch.h>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"
#include "ebmc/targets/mixture.h"

namespace ebmc {

/// C.2: ⅓ N(−1.5·1, 0.05 I) + ⅔ N(+1.5·1, 0.1 I) in 2-d (components in that order).
GaussianMixture two_to_one_mixture();
/// C.3: weights 0.1, 0.2, 0.3, 0.4 on means (−3, 0), (−1, 0), (1, 0), (3, 0), variance 0.05.
GaussianMixture four_modes_mixture();
/// C.4: 8 equal modes N(μ_i, 0.15² I), μ_i = (cos 2πi/8, sin 2πi/8).
GaussianMixture eight_gaussians_mixture();
/// C.5: 4 equal modes N(μ_i, I_d), μ₁ = a·1, μ₂ = a·(−1…−1, 1…1) (first ⌊d/2⌋ negative),
/// μ₃ = −μ₂, μ₄ = −μ₁, a = 0.5919.
GaussianMixture four_mode_mixture_in(int64_t dim);

/// C.4's rings: polar coordinates with radius from Σ_{i=0}^{3} ¼ N(i + 1, 0.15²) and a uniform
/// angle, so log p(x) = log p_r(‖x‖) − log ‖x‖ − log 2π (‖x‖ floored at 1e-12).
class Rings : public Target, public ExactSampler {
 public:
  int64_t dim() const override { return 2; }
  std::string name() const override { return "rings"; }
  torch::Tensor sample_exact(int64_t n, Rng& rng) const override;
  /// The ring (0…3) whose radius is nearest to each row of x [B, 2]: the mode regions.
  torch::Tensor nearest_ring(const torch::Tensor& x) const;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
};

/// Options of `gaussian_mixture_4`.
struct FourModeMixtureOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension (grenioux-2023: 16, 32, 64)");
  }
  TORCH_ARG(int64_t, d) = 16;
};

}  // namespace ebmc
