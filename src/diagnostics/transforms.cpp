#include "ebmc/diagnostics/transforms.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ebmc/diagnostics/basic_stats.h"

namespace ebmc {

ChainMatrix split_chains(const ChainMatrix& draws) {
  const int64_t n = draws.iterations();
  if (n <= 1) return draws;
  const int64_t half = n / 2;
  const int64_t second_start = n - half;  // skips the middle draw when n is odd
  ChainMatrix out(half, 2 * draws.chains());
  for (int64_t c = 0; c < draws.chains(); ++c) {
    for (int64_t i = 0; i < half; ++i) {
      out(i, c) = draws(i, c);
      out(i, draws.chains() + c) = draws(second_start + i, c);
    }
  }
  return out;
}

ChainMatrix z_scale(const ChainMatrix& draws) {
  const std::vector<double>& v = draws.values();
  const size_t s = v.size();
  // Like R's rank(): NaN values are ranked last but come out as NaN; S counts every value.
  std::vector<size_t> order;
  order.reserve(s);
  for (size_t i = 0; i < s; ++i) {
    if (!std::isnan(v[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&v](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(s, std::numeric_limits<double>::quiet_NaN());
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && v[order[end]] == v[order[start]]) ++end;
    // Ranks start..end-1 (0-based) are tied: each gets the average 1-based rank.
    const double average_rank = 0.5 * static_cast<double>(start + 1 + end);
    for (size_t k = start; k < end; ++k) ranks[order[k]] = average_rank;
    start = end;
  }
  torch::Tensor u = torch::tensor(ranks, torch::kFloat64);
  u = (u - 0.375) / (static_cast<double>(s) + 0.25);
  torch::Tensor z = torch::special::ndtri(u).contiguous();
  ChainMatrix out(draws.iterations(), draws.chains());
  std::copy(z.data_ptr<double>(), z.data_ptr<double>() + s, out.values().begin());
  return out;
}

ChainMatrix fold_draws(const ChainMatrix& draws) {
  const double median = median_of(draws.values());
  ChainMatrix folded = draws.map([median](double x) { return std::fabs(x - median); });
  const size_t n = draws.values().size();
  if (n % 2 == 0 && n > 0 && std::isfinite(median)) {
    // With an even number of draws the median is the midpoint of the two middle draws, so both
    // lie exactly (upper - lower) / 2 from it. Rounding the midpoint to a double can break that
    // tie by one ulp, which moves both draws' ranks; restore the exact tie.
    std::vector<double> sorted = draws.values();
    std::sort(sorted.begin(), sorted.end());
    const double lower = sorted[n / 2 - 1];
    const double upper = sorted[n / 2];
    const double half_gap = (upper - lower) / 2.0;
    for (size_t i = 0; i < n; ++i) {
      const double x = draws.values()[i];
      if (x == lower || x == upper) folded.values()[i] = half_gap;
    }
  }
  return folded;
}

ChainMatrix quantile_indicator(const ChainMatrix& draws, double prob) {
  const double q = quantiles(draws.values(), {prob})[0];
  return draws.map([q](double x) { return x <= q ? 1.0 : 0.0; });
}

}  // namespace ebmc
