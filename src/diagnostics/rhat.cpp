#include "ebmc/diagnostics/rhat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/transforms.h"

namespace ebmc {

namespace {

/// matrixStats::colMeans2 of one chain: a double sum in order, over n.
double column_mean(const double* values, size_t n) {
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  return sum / static_cast<double>(n);
}

/// matrixStats::colVars(x, center = `center`): R's colMeans of the squared deviations (a
/// long-double sum over n), times n / (n − 1).
double column_variance(const double* values, size_t n, double center) {
  long double sum = 0.0L;
  for (size_t i = 0; i < n; ++i) {
    const double deviation = values[i] - center;
    sum += deviation * deviation;
  }
  const double mean_square = static_cast<double>(sum / static_cast<long double>(n));
  const double nd = static_cast<double>(n);
  return mean_square * (nd / (nd - 1.0));
}

}  // namespace

double rhat_of_chains(const ChainMatrix& draws) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const int64_t n = draws.iterations();
  if (n < 2 || draws.chains() < 1 || has_nonfinite(draws.values()) || is_constant(draws.values())) {
    return kNaN;
  }
  // posterior's .rhat, operation for operation (its chain means and variances come from
  // matrixStats), so that even the rounding noise of constant chains comes out the same.
  std::vector<double> means(static_cast<size_t>(draws.chains()));
  std::vector<double> variances(means.size());
  for (int64_t c = 0; c < draws.chains(); ++c) {
    const size_t k = static_cast<size_t>(c);
    means[k] = column_mean(draws.chain_data(c), static_cast<size_t>(n));
    variances[k] = column_variance(draws.chain_data(c), static_cast<size_t>(n), means[k]);
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
