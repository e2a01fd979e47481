#pragma once
/// @file gwg_chain.h
/// One chain's Gibbs-With-Gradients step (one or several flips) on a binary pairwise target in
/// raw memory:
/// the local fields, the proposal over all sites, the reverse proposal and the Metropolis-Hastings
/// test in one pass, with the fields of the flipped site's neighbours updated in place.

#include <cstdint>
#include <utility>
#include <vector>

#include "ebmc/core/per_chain.h"
#include "ebmc/core/rng.h"
#include "ebmc/discrete/graph.h"
#include "ebmc/discrete/pairwise_energy.h"

namespace ebmc {

/// What one chain's GWG step reports.
struct GwgChainResult {
  ChainDecision decision;  ///< the Metropolis–Hastings decision
  int64_t changed = 0;     ///< sites changed (accepted moves; a site flipped twice is back)
};

/// GWG's step (Grathwohl et al. 2021, q(i | x) ∝ exp(d̃ᵢ / 2), N moves with replacement, eq. 27's
/// acceptance) for f(x) = sᵀJs + bᵀs,
/// s = 2x − 1: the linearized differences d̃ᵢ = −sᵢ ∂f/∂xᵢ are exact there, the proposal's f is
/// f + d̃ᵢ and its gradient changes at i's neighbours only. It draws from the chain's stream what
/// the batched `GibbsWithGradients` step draws (the moves' uniforms, then the test's), and agrees
/// with it to rounding (tested: the same moves and decisions). The reverse proposal's normalizer
/// reuses the forward weights except at the ≤ degree + 1 changed sites, and the forward weights
/// are memoized per chain (`Memo`), so a step costs O(degree) exponentials and O(D) additions.
/// The energy is exact: the chain's exact sum (`ChainEnergySums`) changes by each flip's exact
/// change, so the proposal's energy has the bits of a fresh `PairwiseEnergy` evaluation.
/// Results are a function of the chain's state and stream alone (memoization never changes a
/// bit), so resumed runs stay bit-exact. One object per thread; `step` allocates nothing.
class PairwiseGwgChain {
 public:
  /// `flips` moves per step (GWG-N), drawn with replacement from q(· | x) and applied in turn.
  PairwiseGwgChain(const Couplings& couplings, const PairwiseEnergy& energy, int64_t flips);

  /// The chain's memo of proposal weights: w = exp(d̃/2 − top) is a pure function of (d̃, top),
  /// so a step reuses the weights whose d̃ and top are unchanged since they were computed (most
  /// of them: a flip changes d̃ at ≤ degree + 1 sites) — the same bits as recomputing.
  struct Memo {
    double* d;    ///< [D] the d̃ each weight was computed for
    double* w;    ///< [D]
    double* top;  ///< the maximum it was computed against (NaN: nothing memoized)
  };

  /// One step of chain `chain` at `x` [D] (0/1) with energy −f and its gradient `grad_energy`
  /// [D] (−∂f/∂x), all updated in place when the flip is accepted; `sums` carries the chain's
  /// exact f between steps.
  GwgChainResult step(double* x, double* energy, double* grad_energy, Memo memo,
                      ChainEnergySums& sums, int64_t chain, ChainStream& stream);

 private:
  const int64_t sites_, degree_, flips_;
  const int64_t* neighbours_;
  const double* weights_;
  const PairwiseEnergy& energy_;
  std::vector<double> d_, cdf_, uniforms_;
  std::vector<int64_t> moves_;
  std::vector<std::pair<int64_t, double>> changed_;  ///< sites whose d̃ the flips change, new d̃
  std::vector<std::pair<int64_t, double>> undo_;     ///< overwritten gradient entries
};

}  // namespace ebmc
