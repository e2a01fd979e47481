#pragma once
/// @file potts.h
/// Potts models: K-state sites with pairwise couplings, one-hot states [chains, D, K].

#include "ebmc/core/options.h"
#include "ebmc/discrete/discrete_target.h"
#include "ebmc/discrete/graph.h"

namespace ebmc {

/// f(x) = Σ_{edges ij} J_ij x_iᵀx_j + Σ_i h_iᵀx_i for one-hot x_i ∈ {0,1}^K: neighbours that
/// agree add J_ij. Gradient, local and site differences are exact (f is linear in each x_i).
///
///     ebmc::PottsModel potts = ebmc::PottsModel::lattice(10, 10, 3, 0.5);
class PottsModel : public DiscreteTarget {
 public:
  /// `bias` is h, [D, K].
  PottsModel(Couplings couplings, torch::Tensor bias, std::string name);
  /// The periodic rows × cols lattice with K states, coupling θ and zero bias.
  static PottsModel lattice(int64_t rows, int64_t cols, int64_t k, double theta);

  std::string name() const override { return name_; }
  int64_t num_sites() const override { return couplings_.sites(); }
  int64_t num_values() const override { return bias_.size(1); }
  bool categorical() const override { return true; }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override;
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override;
  torch::Tensor compute_local_differences(const torch::Tensor& x) const override;
  torch::Tensor compute_site_differences(const torch::Tensor& x,
                                         const torch::Tensor& sites) const override;

 private:
  Couplings couplings_;
  torch::Tensor bias_;  ///< [D, K]
  std::string name_;
};

/// Options of `potts`: a periodic lattice.
struct PottsOptions {
  void validate() const {
    check_at_least(n(), 1, "potts", "n");
    check_at_least(cols(), 0, "potts", "cols");
  }
  void visit_fields(OptionVisitor& v) {
    v.field("n", n(), "rows of the lattice");
    v.field("cols", cols(), "columns (0: as many as rows)");
    v.field("k", k(), "states per site");
    v.field("theta", theta(), "+theta per agreeing neighbour pair");
  }
  TORCH_ARG(int64_t, n) = 10;
  TORCH_ARG(int64_t, cols) = 0;
  TORCH_ARG(int64_t, k) = 3;
  TORCH_ARG(double, theta) = 0.5;
};

}  // namespace ebmc
