#pragma once
/// @file discrete_target.h
/// Batched discrete targets: unnormalized log-probabilities f(x) of binary or categorical states.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/discrete/graph.h"
#include "ebmc/discrete/pairwise_energy.h"

namespace ebmc {

/// f(x) and ∇ₓf of the relaxed input for a batch of states.
struct LogProbAndGrad {
  torch::Tensor log_prob;  ///< [chains]
  torch::Tensor grad;      ///< shaped like the states
};

/// A distribution over D discrete sites known up to its normalizing constant, evaluated for all
/// chains at once. Binary targets take float states [chains, D] with values in {0, 1};
/// categorical targets take one-hot float states [chains, D, K].
///
/// Subclasses implement `compute_log_prob`, written so that it is differentiable in the relaxed
/// (real-valued) input: Gibbs-With-Gradients uses that gradient. They may override the gradient
/// with an analytic one and provide exact local differences f(x′) − f(x) over single-site
/// changes where those are cheap (the default evaluates f at every neighbour).
///
///     ebmc::IsingModel ising = ebmc::IsingModel::lattice(10, 0.25);
///     torch::Tensor f = ising.log_prob(ising.random_states(32, rng));  // [32]
class DiscreteTarget {
 public:
  virtual ~DiscreteTarget() = default;
  /// Short name, e.g. `ising`.
  virtual std::string name() const = 0;
  /// Number of sites D.
  virtual int64_t num_sites() const = 0;
  /// Values per site K (2 for binary targets).
  virtual int64_t num_values() const { return 2; }
  /// True for one-hot [chains, D, K] states, false for binary [chains, D] states.
  virtual bool categorical() const { return false; }

  /// Number of single-site moves M: D flips for binary targets, D·K "set site i to value k"
  /// moves (K of them no-ops, one per site) for categorical ones.
  int64_t num_moves() const { return categorical() ? num_sites() * num_values() : num_sites(); }
  /// Shape of a batch of `chains` states.
  std::vector<int64_t> state_shape(int64_t chains) const;
  /// Throws InputError unless `x` is a well-formed batch of states: right shape, floating point,
  /// values in {0, 1} and (categorical) exactly one 1 per site.
  void check_states(const torch::Tensor& x) const;
  /// Uniformly random states, [chains, ...].
  torch::Tensor random_states(int64_t chains, Rng& rng) const;

  /// f(x), [chains]. Shapes are checked on the way in and out.
  torch::Tensor log_prob(const torch::Tensor& x) const;
  /// f(x) and ∇ₓf(x) at the relaxed input.
  LogProbAndGrad log_prob_and_grad(const torch::Tensor& x) const;
  /// f(x′) − f(x) for every single-site move, [chains, M] (see `num_moves`; 0 for no-op moves).
  torch::Tensor local_differences(const torch::Tensor& x) const;
  /// f(x′) − f(x) for the moves at one site per chain (`sites` [chains] int64): [chains, 1]
  /// (the flip) for binary targets, [chains, K] (set to each value) for categorical ones.
  torch::Tensor site_differences(const torch::Tensor& x, const torch::Tensor& sites) const;
  /// The strength of every pairwise interaction, [D, D], when the target knows it in closed form
  /// (Ising: J; dense Potts: ‖J_ij‖ in the zero-sum gauge): the truth that structure learning is
  /// measured against. Undefined otherwise.
  virtual torch::Tensor interaction_strengths() const { return {}; }
  /// For binary pairwise targets, f(x) = sᵀJs + bᵀs with s = 2x − 1 and J symmetric with zero
  /// diagonal (Ising models): J, which fused per-chain kernels (GWG) use to update local fields
  /// in place after a flip; null for every other target.
  virtual const Couplings* pairwise_couplings() const { return nullptr; }
  /// b of a binary pairwise target ([D] float64, contiguous) when `pairwise_couplings` is not
  /// null.
  virtual const torch::Tensor* pairwise_bias() const { return nullptr; }
  /// The exact evaluator of f when `pairwise_couplings` is not null: `log_prob` returns its
  /// values, and fused kernels carry its exact sums so that their energies keep those bits.
  virtual const PairwiseEnergy* pairwise_energy() const { return nullptr; }

 protected:
  /// f of a batch already checked to have the right shape.
  virtual torch::Tensor compute_log_prob(const torch::Tensor& x) const = 0;
  /// f and ∇f; the default differentiates `compute_log_prob` with autograd.
  virtual LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const;
  /// Local differences; the default evaluates f at all M neighbours in one batched call.
  virtual torch::Tensor compute_local_differences(const torch::Tensor& x) const;
  /// Site differences; the default evaluates f at the neighbours through that site.
  virtual torch::Tensor compute_site_differences(const torch::Tensor& x,
                                                 const torch::Tensor& sites) const;

 private:
  void check_shape(const torch::Tensor& x) const;
  void check_log_prob(const torch::Tensor& f, int64_t chains) const;
};

}  // namespace ebmc
