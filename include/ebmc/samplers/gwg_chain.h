#pragma once
/// @file gwg_chain.h
/// One chain's Gibbs-With-Gradients step (one flip) on a binary pairwise target in raw memory:
/// the local fields, the proposal over all sites, the reverse proposal and the Metropolis-Hastings
/// test in one pass, with the fields of the flipped site's neighbours updated in place.

#include <cstdint>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/discrete/graph.h"

namespace ebmc {

/// What one chain's GWG step reports.
struct GwgChainResult {
  bool accepted = false;
  double accept_prob = 0.0;
  bool nonfinite = false;  ///< the log ratio was NaN/Inf (rejected)
};

/// GWG's single-flip step (Grathwohl et al. 2021, q(i | x) ∝ exp(d̃ᵢ / 2)) for f(x) = sᵀJs + bᵀs,
/// s = 2x − 1: the linearized differences d̃ᵢ = −sᵢ ∂f/∂xᵢ are exact there, the proposal's f is
/// f + d̃ᵢ and its gradient changes at i's neighbours only. It draws from the chain's stream what
/// the batched `GibbsWithGradients` step draws (the move's uniform, then the test's), and agrees
/// with it to rounding (bit for bit where J and b are sums of powers of two, e.g. θ = 0.25 on a
/// lattice; tested). One object per thread; `step` allocates nothing.
class PairwiseGwgChain {
 public:
  explicit PairwiseGwgChain(const Couplings& couplings);

  /// One step of the chain at `x` [D] (0/1) with energy −f and its gradient `grad_energy` [D]
  /// (−∂f/∂x), all updated in place when the flip is accepted.
  GwgChainResult step(double* x, double* energy, double* grad_energy, ChainStream& stream);

 private:
  /// log q(· | state) into `log_q` [D] from the differences d̃ (half of them are the logits).
  static void log_softmax_half(const std::vector<double>& d, std::vector<double>& log_q);

  const int64_t sites_, degree_;
  const int64_t* neighbours_;
  const double* weights_;
  std::vector<double> d_, log_q_, d_reverse_, log_q_reverse_, cdf_;
};

}  // namespace ebmc
