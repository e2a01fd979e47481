#pragma once
/// @file ising.h
/// Ising models on a graph: f(x) = sᵀJs + bᵀs with spins s = 2x − 1 for x ∈ {0, 1}^D.

#include "ebmc/discrete/discrete_target.h"
#include "ebmc/discrete/graph.h"

namespace ebmc {

/// An Ising model with symmetric couplings J (zero diagonal) and bias b, written in spins
/// s = 2x − 1 as the Gibbs-With-Gradients paper's code does (eq. 10 with x ∈ {−1, +1}^D; on a
/// lattice J = θA, so each edge contributes 2θ sᵢsⱼ). Gradient, local differences and single-site
/// differences are exact and analytic; a site's difference costs O(degree).
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
};

}  // namespace ebmc
