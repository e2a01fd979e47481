#include "ebmc/diagnostics/efficiency.h"

#include <cmath>
#include <limits>

namespace ebmc {

namespace {

double ratio(double numerator, double denominator) {
  if (!(denominator > 0) || std::isnan(numerator)) return std::numeric_limits<double>::quiet_NaN();
  return numerator / denominator;
}

}  // namespace

Efficiency efficiency(const std::vector<ParameterSummary>& summaries, const CostCounters& cost) {
  Efficiency e;
  e.min_ess_bulk = summaries.empty() ? std::numeric_limits<double>::quiet_NaN()
                                     : std::numeric_limits<double>::infinity();
  for (const ParameterSummary& s : summaries) {
    // Any undefined ESS makes the minimum undefined.
    if (std::isnan(s.ess_bulk) || std::isnan(e.min_ess_bulk)) {
      e.min_ess_bulk = std::numeric_limits<double>::quiet_NaN();
    } else {
      e.min_ess_bulk = std::fmin(e.min_ess_bulk, s.ess_bulk);
    }
  }
  e.ess_per_second = ratio(e.min_ess_bulk, cost.wall_seconds);
  e.ess_per_gradient_eval = ratio(e.min_ess_bulk, static_cast<double>(cost.gradient_evals));
  e.ess_per_energy_eval = ratio(e.min_ess_bulk, static_cast<double>(cost.energy_evals));
  return e;
}

}  // namespace ebmc
