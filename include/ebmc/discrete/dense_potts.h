#pragma once
/// @file dense_potts.h
/// Potts models with a full K × K coupling block per pair of sites (grathwohl-2021 section 7.2's
/// protein model), and `potts_planted`: such a model on a random contact graph.

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// f(x) = Σ_{i<j} x_iᵀJ_ij x_j + Σ_i h_iᵀx_i for one-hot x_i ∈ {0,1}^K, with J [D, K, D, K]
/// (J_ij = J_jiᵀ, J_ii = 0) and h [D, K]. f is linear in each x_i, so the gradient and every
/// local difference are exact: f(x with x_i = k) − f(x) = g_ik − g_{i,x_i}, g = Jx + h.
class DensePottsModel : public DiscreteTarget {
 public:
  /// Throws InputError at `name` for inconsistent shapes, asymmetric J or nonzero J_ii.
  DensePottsModel(torch::Tensor couplings, torch::Tensor bias, std::string name);

  std::string name() const override { return name_; }
  int64_t num_sites() const override { return bias_.size(0); }
  int64_t num_values() const override { return bias_.size(1); }
  bool categorical() const override { return true; }
  /// J [D, K, D, K].
  torch::Tensor couplings() const;
  /// h [D, K].
  const torch::Tensor& bias() const { return bias_; }
  /// ‖J_ij‖_F in the zero-sum gauge (`potts_interaction_strengths`).
  torch::Tensor interaction_strengths() const override;

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override;
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override;
  torch::Tensor compute_local_differences(const torch::Tensor& x) const override;
  torch::Tensor compute_site_differences(const torch::Tensor& x,
                                         const torch::Tensor& sites) const override;

 private:
  torch::Tensor flat_;  ///< J as [D·K, D·K]
  torch::Tensor bias_;  ///< [D, K]
  std::string name_;
  /// g = Jx + h, [N, D, K].
  torch::Tensor fields(const torch::Tensor& x) const;
};

/// g = Jx + h [N, D, K] for one-hot x [N, D, K], with J as [D·K, D·K] (`flat`) and h [D, K]:
/// f's change per value of each site. Differentiable in J and h (the learned Potts model's too).
torch::Tensor dense_potts_fields(const torch::Tensor& x, const torch::Tensor& flat,
                                 const torch::Tensor& bias);

/// f(x) = ½ xᵀJx + Σᵢ hᵢᵀxᵢ [N] (each pair appears twice in xᵀJx), differentiable in J and h.
torch::Tensor dense_potts_log_prob(const torch::Tensor& x, const torch::Tensor& flat,
                                   const torch::Tensor& bias);

/// ‖J_ij‖_F of every pair after the zero-sum gauge (each block's row and column means removed,
/// which moves nothing but fields): the contact strength of a Potts model, [D, D].
torch::Tensor potts_interaction_strengths(const torch::Tensor& couplings);

/// Options of `potts_planted`: K × K blocks with N(0, scale²) entries on the edges of an
/// Erdős–Rényi contact graph and N(0, field²) fields, drawn from `seed`.
struct PottsPlantedOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("n", n(), "sites");
    v.field("k", k(), "states per site");
    v.field("degree", degree(), "expected contacts per site");
    v.field("scale", scale(), "sd of the coupling entries");
    v.field("field", field(), "sd of the fields");
    v.field("seed", seed(), "seed of the graph, couplings and fields");
  }
  TORCH_ARG(int64_t, n) = 30;
  TORCH_ARG(int64_t, k) = 4;
  TORCH_ARG(double, degree) = 2.0;
  TORCH_ARG(double, scale) = 1.0;
  TORCH_ARG(double, field) = 0.5;
  TORCH_ARG(int64_t, seed) = 0;
};

/// The `potts_planted` model of `options`.
DensePottsModel planted_potts(const PottsPlantedOptions& options);

}  // namespace ebmc
