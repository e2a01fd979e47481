#pragma once
/// @file ising.h
/// Ising models on a graph: f(x) = sᵀJs + bᵀs with spins s = 2x − 1 for x ∈ {0, 1}^D.

#include "ebmc/core/options.h"
#include "ebmc/discrete/discrete_target.h"
#include "ebmc/discrete/graph.h"

namespace ebmc {

/// An Ising model with symmetric couplings J (zero diagonal) and bias b, written in spins
/// s = 2x − 1 as the Gibbs-With-Gradients paper's code does (eq. 10 with x ∈ {−1, +1}^D; on a
/// lattice J = θA, so each edge contributes 2θ sᵢsⱼ). Gradient, local differences and single-site
/// differences are exact and analytic; a site's difference costs O(degree). f itself is
/// evaluated exactly (`PairwiseEnergy`) for float64 CPU states: one value per energy level.
///
///     ebmc::IsingModel ising = ebmc::IsingModel::lattice(10, 10, 0.25);
class IsingModel : public DiscreteTarget {
 public:
  IsingModel(Couplings couplings, torch::Tensor bias, std::string name);
  /// The periodic rows × cols lattice with coupling θ and a constant bias.
  static IsingModel lattice(int64_t rows, int64_t cols, double theta, double bias = 0.0);
  /// Erdős–Rényi couplings (average degree `degree`, weights N(0, 1/4)) with zero bias.
  static IsingModel erdos_renyi(int64_t n, double degree, Rng& rng);

  std::string name() const override { return name_; }
  int64_t num_sites() const override { return couplings_.sites(); }
  const Couplings& couplings() const { return couplings_; }
  const torch::Tensor& bias() const { return bias_; }
  /// J, dense.
  torch::Tensor interaction_strengths() const override { return couplings_.dense(); }
  const Couplings* pairwise_couplings() const override { return &couplings_; }
  const torch::Tensor* pairwise_bias() const override { return &bias_; }
  const PairwiseEnergy* pairwise_energy() const override { return &energy_; }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override;
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override;
  torch::Tensor compute_local_differences(const torch::Tensor& x) const override;
  torch::Tensor compute_site_differences(const torch::Tensor& x,
                                         const torch::Tensor& sites) const override;

 private:
  Couplings couplings_;
  torch::Tensor bias_;  ///< [D]
  std::string name_;
  PairwiseEnergy energy_;  ///< f, exactly (see PairwiseEnergy)
};

/// Options of `ising`: a periodic lattice.
struct IsingOptions {
  void validate() const {
    check_at_least(n(), 1, "ising", "n");
    check_at_least(cols(), 0, "ising", "cols");
  }
  void visit_fields(OptionVisitor& v) {
    v.field("n", n(), "rows of the lattice");
    v.field("cols", cols(), "columns (0: as many as rows)");
    v.field("theta", theta(), "coupling: f = theta s'As with spins s = 2x - 1");
    v.field("bias", bias(), "field: + bias sum(s)");
  }
  TORCH_ARG(int64_t, n) = 10;
  TORCH_ARG(int64_t, cols) = 0;
  TORCH_ARG(double, theta) = 0.25;
  TORCH_ARG(double, bias) = 0.0;
};

/// Options of `ising_er`: an Erdos-Renyi graph with N(0, 1/4) couplings.
struct IsingErOptions {
  void validate() const { check_at_least(n(), 1, "ising_er", "n"); }
  void visit_fields(OptionVisitor& v) {
    v.field("n", n(), "number of spins");
    v.field("degree", degree(), "expected degree (edge probability degree/(n-1))");
    v.field("seed", seed(), "seed of the random graph and couplings");
  }
  TORCH_ARG(int64_t, n) = 200;
  TORCH_ARG(double, degree) = 4.0;
  TORCH_ARG(int64_t, seed) = 0;
};

}  // namespace ebmc
