#include "ebmc/diagnostics/basic_stats.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace ebmc {

double mean_of(const double* values, size_t n) {
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  // R's mean.default (summary.c): a long-double sum, then a second pass adding the mean residual.
  long double sum = 0.0L;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  sum /= static_cast<long double>(n);
  if (std::isfinite(static_cast<double>(sum))) {
    long double residual = 0.0L;
    for (size_t i = 0; i < n; ++i) residual += values[i] - sum;
    sum += residual / static_cast<long double>(n);
  }
  return static_cast<double>(sum);
}

double variance_of(const double* values, size_t n) {
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  // R's var (cov.c): the mean as R's MEAN macro computes it (what `mean_of` computes), then a
  // long-double sum of the double products of the deviations, over n − 1.
  const double m = mean_of(values, n);
  long double sum = 0.0L;
  for (size_t i = 0; i < n; ++i) {
    const double deviation = values[i] - m;
    sum += deviation * deviation;
  }
  return static_cast<double>(sum / static_cast<long double>(n - 1));
}

bool is_constant(const std::vector<double>& values) {
  if (values.empty()) return true;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return std::fabs(*hi - *lo) < DBL_EPSILON;
}

bool has_nonfinite(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
}

std::vector<double> quantiles(std::vector<double> values, const std::vector<double>& probs) {
  std::vector<double> out(probs.size(), std::numeric_limits<double>::quiet_NaN());
  if (values.empty() ||
      std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
    return out;
  }
  // Selection instead of a full sort: for increasing probabilities, each nth_element works on
  // what lies above the previous one; the next order statistic is the minimum above it.
  std::vector<size_t> order(probs.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&probs](size_t a, size_t b) { return probs[a] < probs[b]; });
  const double n = static_cast<double>(values.size());
  size_t selected_from = 0;
  for (size_t k : order) {
    // R: index = 1 + (n - 1) p; q = (1 - h) x[lo] + h x[hi] where they differ.
    const double index = (n - 1.0) * probs[k];
    const size_t lo = static_cast<size_t>(std::floor(index));
    const auto at = [&values](size_t i) { return values.begin() + static_cast<std::ptrdiff_t>(i); };
    std::nth_element(at(selected_from), at(lo), values.end());
    selected_from = lo;
    double q = values[lo];
    if (index > static_cast<double>(lo)) {
      const double next = *std::min_element(at(lo + 1), values.end());
      if (next != q) {
        const double h = index - static_cast<double>(lo);
        q = (1.0 - h) * q + h * next;
      }
    }
    out[k] = q;
  }
  return out;
}

double median_of(std::vector<double> values) {
  const size_t n = values.size();
  if (n == 0 || std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // R's median: the middle value, or the mean of the two middle values.
  const size_t half = n / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half),
                   values.end());
  const double upper = values[half];
  if (n % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half));
  return (lower + upper) / 2.0;
}

}  // namespace ebmc
