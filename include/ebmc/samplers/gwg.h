#pragma once
/// @file gwg.h
/// Gibbs-With-Gradients (Grathwohl et al. 2021) and the exact locally-balanced proposal it
/// approximates.

#include <vector>

#include "ebmc/core/options.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// Options of Gibbs-With-Gradients.
struct GwgOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  /// The spec options (`exact` is chosen by name: `lb` is the exact variant of `gwg`).
  void visit_fields(OptionVisitor& v) {
    v.field("flips", flips(), "moves drawn per step (GWG-N; binary targets for N > 1)");
  }
  /// Moves drawn per step, with replacement (GWG-N of appendix D.2; 1 is Algorithm 1).
  TORCH_ARG(int64_t, flips) = 1;
  /// Use the exact local differences f(x′) − f(x) instead of their gradient estimate: the
  /// locally-balanced proposal q₂ of eq. 2 (τ = 2) that GWG approximates.
  TORCH_ARG(bool, exact) = false;
};

/// Metropolis–Hastings with the locally-informed single-site proposal q(i | x) =
/// softmax(d(x) / 2) over the single-site moves, where d(x) estimates f(x′) − f(x):
/// d̃ = −(2x − 1) ⊙ ∇f for binary targets (eq. 3), d̃_ij = ∇f_ij − x_iᵀ∇f_i for categorical ones
/// (eq. 4, a D(K − 1)-way softmax), or the exact differences (`exact`). With `flips` = N, N moves
/// i₁…i_N are drawn from q(· | x) and applied in turn (binary targets only), and the acceptance is
/// eq. 27: min{1, exp(f(x′) − f(x)) Π q(i_n | x′) / Π q(i_n | x)}.
///
/// An even N flips an even number of sites (a site drawn twice is flipped back), so GWG-N with
/// even N keeps the parity of the number of ones: it leaves the target invariant but cannot
/// reach half of the states on its own. Use odd N (the paper's GWG-3, GWG-5).
///
/// Cost per step and chain: one evaluation of f and ∇f at the proposal (GWG) or f and the exact
/// local differences at the proposal and the current state (exact).
class GibbsWithGradients : public DiscreteKernel {
 public:
  explicit GibbsWithGradients(GwgOptions options = {});
  std::string name() const override;
  Info step(State& state, Rng& rng) override;
  torch::Tensor transition_matrix(const torch::Tensor& states) const override;

 protected:
  bool uses_gradient() const override { return !options_.exact(); }
  void prepare(const DiscreteTarget& target) override;

 private:
  /// log q(m | x) over all M moves, [chains, M], for states whose ∇U is `grad_energy` (unused
  /// when exact).
  torch::Tensor move_log_probs(const torch::Tensor& x, const torch::Tensor& grad_energy) const;
  /// Whether this step may run chain by chain in raw memory (`PairwiseGwgChain`): the gradient
  /// proposal, a binary pairwise target, per-chain streams, float64 CPU states.
  bool takes_fused_path(const State& state, const Rng& rng) const;
  Info fused_step(State& state, Rng& rng);

  GwgOptions options_;
  /// The fused path's per-chain memo of proposal weights (see PairwiseGwgChain::Memo).
  std::vector<double> memo_d_, memo_w_, memo_top_;
  /// The fused path's exact energies, carried per chain.
  ChainEnergySums sums_;
};

}  // namespace ebmc
