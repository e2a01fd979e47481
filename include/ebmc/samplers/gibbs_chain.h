#pragma once
/// @file gibbs_chain.h
/// One chain's random-scan single-site Gibbs update on a binary pairwise target in raw memory.

#include <cstdint>

#include "ebmc/core/rng.h"
#include "ebmc/discrete/graph.h"
#include "ebmc/discrete/pairwise_energy.h"

namespace ebmc {

/// Resamples one uniformly chosen site of `x` [D] (0/1) from its conditional under f(x) = sᵀJs +
/// bᵀs (s = 2x − 1): the flip changes f by −2sᵢ(2(Js)ᵢ + bᵢ), a sum over i's neighbours. `energy`
/// (−f) follows the state with the bits of a fresh `exact` evaluation: after a flip it is the
/// chain's exact sum (carried in `sums` for chain `chain`) plus the flip's exact change. Draws
/// from the chain's stream what the batched `Gibbs` step draws (the site's uniform, then the
/// Gumbel-max pair) and makes the same choice; returns whether the site changed.
bool pairwise_gibbs_update(const Couplings& couplings, const double* bias,
                           const PairwiseEnergy& exact, ChainEnergySums& sums, int64_t chain,
                           double* x, double* energy, ChainStream& stream);

}  // namespace ebmc
