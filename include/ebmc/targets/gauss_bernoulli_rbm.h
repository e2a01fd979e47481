#pragma once
/// @file gauss_bernoulli_rbm.h
/// The Gaussian–Bernoulli RBM of the Stein-discrepancy tests (Liu et al. 2016; Jitkrittum et al.
/// 2017; grathwohl-2020 section 7.1), with its hidden units summed out.

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// p(x) ∝ Σ_{h∈{−1,1}^H} exp(½ xᵀBh + bᵀx + cᵀh − ½‖x‖²). Summing h out,
/// U(x) = ½‖x‖² − bᵀx − Σ_j log cosh(½(Bᵀx)_j + c_j) (+ const), so
/// ∇log p(x) = b − x + ½ B tanh(½Bᵀx + c). Given h, x ~ N(b + ½Bh, I); given x,
/// P(h_j = 1) = σ((Bᵀx)_j + 2c_j): exact samples by block Gibbs from a long burn-in.
class GaussBernoulliRbm : public Target, public ExactSampler {
 public:
  /// B [visible, hidden], b [visible], c [hidden] (float64).
  GaussBernoulliRbm(torch::Tensor B, torch::Tensor b, torch::Tensor c);
  /// Random parameters as grathwohl-2020 B.1: B entries ±1 with probability ½, b and c standard
  /// normal, from `seed`; `perturb` > 0 then adds N(0, perturb²) noise to B (same seed, so the
  /// perturbed model differs from the unperturbed one by the noise only).
  static GaussBernoulliRbm random(int64_t visible, int64_t hidden, uint64_t seed, double perturb);
  /// Reads `{"B": [[…] visible × hidden], "b": [visible], "c": [hidden]}`.
  static GaussBernoulliRbm from_json_file(const std::string& path);

  int64_t dim() const override { return B_.size(0); }
  std::string name() const override { return "gbrbm"; }
  const torch::Tensor& weights() const { return B_; }
  const torch::Tensor& visible_bias() const { return b_; }
  const torch::Tensor& hidden_bias() const { return c_; }
  /// ∇log p(x) for x [n, visible].
  torch::Tensor score(const torch::Tensor& x) const;
  /// `n` draws, each the end of its own block-Gibbs chain after `burn_in` sweeps from h uniform.
  torch::Tensor sample_exact(int64_t n, Rng& rng) const override;
  /// Block-Gibbs sweeps per exact draw.
  static constexpr int64_t kBurnIn = 2000;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  torch::Tensor B_, b_, c_;
};

/// Options of `gbrbm`.
struct GaussBernoulliRbmOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("visible", visible(), "visible units (the dimension)");
    v.field("hidden", hidden(), "hidden units (summed out)");
    v.field("seed", seed(), "seed of the random parameters (B = +-1, b, c ~ N(0, 1))");
    v.field("perturb", perturb(), "sd of N(0, sd^2) noise added to B");
    v.field("file", file(), "JSON file {B, b, c} instead of random parameters");
  }
  TORCH_ARG(int64_t, visible) = 50;
  TORCH_ARG(int64_t, hidden) = 40;
  TORCH_ARG(int64_t, seed) = 0;
  TORCH_ARG(double, perturb) = 0.0;
  TORCH_ARG(std::string, file) = "";
};

}  // namespace ebmc
