#pragma once
/// @file linear_ica.h
/// The linear ICA model of grathwohl-2020 section 8.1: x = Wz with independent Laplace(0, 1)
/// sources (the paper's text) or logistic(0, 1) ones (what its released code, lsd_ica.py, uses).

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// The sources' density.
enum class IcaSources { kLaplace, kLogistic };
/// `laplace` | `logistic`; InputError at `where` otherwise.
IcaSources ica_sources_from_name(const std::string& name, const std::string& where);
/// −log p_z(z) summed over the last dimension (normalized): ‖z‖₁ + D log 2 (Laplace) or
/// Σ z + 2 log(1 + e^{−z}) (logistic); differentiable.
torch::Tensor ica_source_energy(const torch::Tensor& z, IcaSources sources);
/// Its gradient in z: sign(z) or tanh(z/2).
torch::Tensor ica_source_energy_grad(const torch::Tensor& z, IcaSources sources);

/// log p(x; W) = log p_z(W⁻¹x) − log|det W| (eq. 14), normalized: for Laplace sources
/// U(x) = ‖W⁻¹x‖₁ + D log 2 + log|det W|, ∇U(x) = W⁻ᵀ sign(W⁻¹x).
class LinearIca : public Target, public ExactSampler {
 public:
  /// `mixing` W [D, D], non-singular.
  explicit LinearIca(torch::Tensor mixing, IcaSources sources = IcaSources::kLaplace);
  /// W with standard-normal entries drawn from `seed` (again until its condition number is
  /// below D, appendix B.5).
  /// With `random_unmixing` that matrix is W⁻¹ instead (grathwohl-2020's lsd_ica.py).
  static LinearIca random(int64_t dim, uint64_t seed, IcaSources sources = IcaSources::kLaplace,
                          bool random_unmixing = false);

  int64_t dim() const override { return mixing_.size(0); }
  std::string name() const override { return "ica"; }
  const torch::Tensor& mixing() const { return mixing_; }
  /// `n` draws Wz with independent Laplace(0, 1) or logistic(0, 1) coordinates z.
  torch::Tensor sample_exact(int64_t n, Rng& rng) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  torch::Tensor mixing_, unmixing_;  ///< W, W⁻¹
  IcaSources sources_;
  double log_abs_det_;  ///< log|det W|
};

/// Options of `ica`.
struct LinearIcaOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension D (W is D x D)");
    v.field("seed", seed(), "seed of the mixing matrix W");
    v.field("sources", sources(), "laplace (the paper's text) | logistic (its released code)");
    v.field("random", random(),
            "mixing: W is the random Gaussian matrix; unmixing: W^-1 is (the released code)");
  }
  TORCH_ARG(int64_t, d) = 10;
  TORCH_ARG(int64_t, seed) = 0;
  TORCH_ARG(std::string, sources) = "laplace";
  TORCH_ARG(std::string, random) = "mixing";
};

}  // namespace ebmc
