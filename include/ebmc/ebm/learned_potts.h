#pragma once
/// @file learned_potts.h
/// `--model potts`: a Potts model with a learned K × K coupling block per pair of sites
/// (grathwohl-2021 section 7.2 / appendix H), regularized by eq. 34's block-ℓ1.

#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "ebmc/ebm/discrete_energy_model.h"

namespace ebmc {

/// f(x) = Σ_{i<j} x_iᵀJ_ij x_j + Σ_i h_iᵀx_i on one-hot states [N, D, K]; J is the symmetric
/// part of a free [D·K, D·K] matrix with the diagonal blocks masked out; J and h start at 0.
class LearnedPotts : public DiscreteEnergyModel {
 public:
  LearnedPotts(int64_t sites, int64_t values);
  int64_t sites() const override { return bias_.size(0); }
  int64_t values() const override { return bias_.size(1); }
  bool categorical() const override { return true; }
  std::string kind() const override { return "potts"; }
  /// J [D, K, D, K], differentiable.
  torch::Tensor couplings() const;
  /// h [D, K].
  const torch::Tensor& bias() const { return bias_; }
  torch::Tensor log_prob(const torch::Tensor& x) const override;
  /// A DensePottsModel with a copy of J and h.
  std::unique_ptr<DiscreteTarget> snapshot() const override;
  /// Eq. 34: Σ_{i<j} ‖J_ij‖_F (smoothed by 1e-12 under the root so that its gradient at J_ij = 0
  /// is 0, a subgradient).
  torch::Tensor penalty() const override;
  /// ‖J_ij‖_F in the zero-sum gauge.
  torch::Tensor interaction_strengths() const override;
  /// Σᵢ (g_{i,xᵢ} − log Σ_k exp g_ik), g = Jx + h.
  torch::Tensor pseudo_log_likelihood(const torch::Tensor& x) const override;

 private:
  torch::Tensor free_, bias_, mask_;  ///< mask_: 1 off the diagonal blocks
  /// J as [D·K, D·K], differentiable.
  torch::Tensor flat_couplings() const;
};

/// Options of `--model potts` (none: D and K come from the data).
struct LearnedPottsOptions {
  void validate() const {}
  void visit_fields(OptionVisitor&) {}
};

}  // namespace ebmc
