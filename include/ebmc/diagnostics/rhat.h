#pragma once
/// @file rhat.h
/// Potential scale reduction factors (Vehtari et al. 2021), exactly as R's `posterior` 1.4.

#include "ebmc/diagnostics/chain_matrix.h"

namespace ebmc {

/// Gelman-Rubin R-hat of the given chains as they are (no splitting or ranking); NaN for
/// non-finite or constant draws, or fewer than 2 iterations.
double rhat_of_chains(const ChainMatrix& draws);

/// Rank-normalized split R-hat: the larger of the bulk (rank-normalized split chains) and tail
/// (rank-normalized split chains of the draws folded around their median) values.
double rhat(const ChainMatrix& draws);

/// Basic split R-hat (no rank normalization).
double rhat_basic(const ChainMatrix& draws);

}  // namespace ebmc
