#pragma once
/// @file ess.h
/// Effective sample sizes (Vehtari, Gelman, Simpson, Carpenter, Bürkner 2021), computed exactly
/// as R's `posterior` 1.4 does. Every function returns NaN where the quantity is undefined
/// (non-finite or constant draws, fewer than 3 iterations per chain) and never throws for such
/// input; `undefined_reason` says why.

#include <string>

#include "ebmc/diagnostics/chain_matrix.h"

namespace ebmc {

/// ESS of the given chains as they are (no splitting): Geyer's initial positive sequence with
/// the monotone correction, the improved antithetic-aware truncation, and ESS capped at
/// S·log10(S).
double ess_of_chains(const ChainMatrix& draws);

/// Bulk-ESS: ESS of the rank-normalized split chains.
double ess_bulk(const ChainMatrix& draws);
/// Tail-ESS: the smaller of the 5% and 95% quantile ESS.
double ess_tail(const ChainMatrix& draws);
/// ESS of the indicator 1{x ≤ q_prob} on split chains.
double ess_quantile(const ChainMatrix& draws, double prob);
/// Basic ESS: ESS of the split chains.
double ess_basic(const ChainMatrix& draws);
/// ESS for the mean; identical to the basic ESS (split chains).
double ess_mean(const ChainMatrix& draws);

/// Why an ESS or R-hat of these draws is undefined, or an empty string when it is defined.
std::string undefined_reason(const ChainMatrix& draws);

}  // namespace ebmc
