#pragma once
/// @file transforms.h
/// The transformations of Vehtari et al. (2021): split chains, rank normalization, folding.

#include "ebmc/diagnostics/chain_matrix.h"

namespace ebmc {

/// Splits every chain into its first and second half (the middle draw of an odd-length chain is
/// dropped), doubling the number of chains. A single-iteration matrix is returned unchanged.
ChainMatrix split_chains(const ChainMatrix& draws);

/// Rank-normalizes all draws jointly: average ranks for ties, then the normal quantile of
/// (r − 3/8) / (S + 1/4) (Blom's offset), S the number of draws.
ChainMatrix z_scale(const ChainMatrix& draws);

/// |x − median(x)|, the median taken over all draws.
ChainMatrix fold_draws(const ChainMatrix& draws);

/// Indicator 1{x ≤ q_p}, q_p the type-7 quantile of all draws at probability `prob`.
ChainMatrix quantile_indicator(const ChainMatrix& draws, double prob);

}  // namespace ebmc
