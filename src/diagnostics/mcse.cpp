#include "ebmc/diagnostics/mcse.h"

#include <cmath>

#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/ess.h"

namespace ebmc {

double mcse_mean(const ChainMatrix& draws) {
  const double sd = std::sqrt(variance_of(draws.values().data(), draws.values().size()));
  return sd / std::sqrt(ess_mean(draws));
}

double mcse_sd(const ChainMatrix& draws) {
  const double mean = mean_of(draws.values().data(), draws.values().size());
  const ChainMatrix squared = draws.map([mean](double x) { return (x - mean) * (x - mean); });
  const ChainMatrix fourth = squared.map([](double s) { return s * s; });
  const double ess = ess_mean(squared);
  const double e_var = mean_of(squared.values().data(), squared.values().size());
  const double e_fourth = mean_of(fourth.values().data(), fourth.values().size());
  const double var_var = (e_fourth - e_var * e_var) / ess;
  return std::sqrt(var_var / e_var / 4.0);
}

}  // namespace ebmc
