#pragma once
/// @file mcse.h
/// Monte Carlo standard errors, exactly as R's `posterior` 1.4.

#include "ebmc/diagnostics/chain_matrix.h"

namespace ebmc {

/// MCSE of the mean: sd(x) / sqrt(ess_mean(x)).
double mcse_mean(const ChainMatrix& draws);

/// MCSE of the standard deviation without assuming normality: the variance of the variance
/// estimate from moments (Kenney & Keeping 1951), with the ESS of the squared centred draws,
/// propagated to the sd by a first-order Taylor expansion.
double mcse_sd(const ChainMatrix& draws);

}  // namespace ebmc
