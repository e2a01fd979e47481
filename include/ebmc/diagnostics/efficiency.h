#pragma once
/// @file efficiency.h
/// Sampling efficiency: the smallest bulk-ESS over parameters per unit of cost.

#include <vector>

#include "ebmc/core/cost.h"
#include "ebmc/diagnostics/summary.h"

namespace ebmc {

/// Min bulk-ESS over parameters and that ESS per second, per gradient and per energy evaluation
/// (NaN where the denominator is zero or the ESS undefined).
struct Efficiency {
  double min_ess_bulk = 0;
  double ess_per_second = 0;
  double ess_per_gradient_eval = 0;
  double ess_per_energy_eval = 0;
};

/// Efficiency of the draws summarized in `summaries`, which cost `cost` (normally the sampling
/// phase only, as the papers report).
Efficiency efficiency(const std::vector<ParameterSummary>& summaries, const CostCounters& cost);

}  // namespace ebmc
