#include "ebmc/diagnostics/rhat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/transforms.h"

namespace ebmc {

double rhat_of_chains(const ChainMatrix& draws) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const int64_t n = draws.iterations();
  if (n < 2 || draws.chains() < 1 || has_nonfinite(draws.values()) || is_constant(draws.values())) {
    return kNaN;
  }
  std::vector<double> means(static_cast<size_t>(draws.chains()));
  std::vector<double> variances(means.size());
  for (int64_t c = 0; c < draws.chains(); ++c) {
    means[static_cast<size_t>(c)] = mean_of(draws.chain_data(c), static_cast<size_t>(n));
    variances[static_cast<size_t>(c)] = variance_of(draws.chain_data(c), static_cast<size_t>(n));
  }
  const double nd = static_cast<double>(n);
  const double var_between = nd * variance_of(means.data(), means.size());
  const double var_within = mean_of(variances.data(), variances.size());
  return std::sqrt((var_between / var_within + nd - 1.0) / nd);
}

double rhat(const ChainMatrix& draws) {
  const double bulk = rhat_of_chains(z_scale(split_chains(draws)));
  const double tail = rhat_of_chains(z_scale(split_chains(fold_draws(draws))));
  if (std::isnan(bulk) || std::isnan(tail)) return std::numeric_limits<double>::quiet_NaN();
  return std::max(bulk, tail);
}

double rhat_basic(const ChainMatrix& draws) { return rhat_of_chains(split_chains(draws)); }

}  // namespace ebmc
