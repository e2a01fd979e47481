#include "ebmc/diagnostics/transforms.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <utility>

#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/normal_quantile.h"

namespace ebmc {

namespace {

/// The indices of the non-NaN values of `v` in ascending order of value (ties in any order):
/// an LSD radix sort on the values' bits made order-preserving, 4 passes of 16 bits — a few
/// times faster than comparison sorting for the 10⁵–10⁶ draws of a wide run.
std::vector<size_t> ascending_order(const std::vector<double>& v) {
  struct Item {
    uint64_t key;
    size_t index;
  };
  std::vector<Item> items, scratch;
  items.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) continue;
    uint64_t bits;
    std::memcpy(&bits, &v[i], sizeof bits);
    // Negative numbers: flip every bit (larger magnitude sorts first); others: set the sign bit.
    items.push_back({(bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63), i});
  }
  scratch.resize(items.size());
  constexpr int kDigitBits = 16;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  std::vector<size_t> counts(kBuckets);
  for (int shift = 0; shift < 64; shift += kDigitBits) {
    std::fill(counts.begin(), counts.end(), 0);
    for (const Item& item : items) ++counts[(item.key >> shift) & (kBuckets - 1)];
    if (counts[(items.empty() ? 0 : items[0].key >> shift) & (kBuckets - 1)] == items.size()) {
      continue;  // every key has the same digit here
    }
    size_t offset = 0;
    for (size_t& count : counts) offset += std::exchange(count, offset);
    for (const Item& item : items) scratch[counts[(item.key >> shift) & (kBuckets - 1)]++] = item;
    items.swap(scratch);
  }
  std::vector<size_t> order(items.size());
  for (size_t k = 0; k < items.size(); ++k) order[k] = items[k].index;
  return order;
}

}  // namespace

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
  // The order among ties does not matter: tied values share their average rank.
  const std::vector<size_t> order = ascending_order(v);
  std::vector<double> ranks(s, std::numeric_limits<double>::quiet_NaN());
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && v[order[end]] == v[order[start]]) ++end;
    // Ranks start..end-1 (0-based) are tied: each gets the average 1-based rank.
    const double average_rank = 0.5 * static_cast<double>(start + 1 + end);
    for (size_t k = start; k < end; ++k) ranks[order[k]] = average_rank;
    start = end;
  }
  // posterior's backtransform_ranks: (r − 3/8) / (S − 2·3/8 + 1), then R's qnorm.
  const double denominator = static_cast<double>(s) - 2.0 * 0.375 + 1.0;
  ChainMatrix out(draws.iterations(), draws.chains());
  for (size_t i = 0; i < s; ++i) {
    out.values()[i] = normal_quantile((ranks[i] - 0.375) / denominator);
  }
  return out;
}

ChainMatrix fold_draws(const ChainMatrix& draws) {
  // posterior's abs(x - median(x)) in double arithmetic: where the median of an even number of
  // draws is not a double, the two middle draws fold to values one ulp apart, and their ranks
  // say so, as posterior's do.
  const double median = median_of(draws.values());
  return draws.map([median](double x) { return std::fabs(x - median); });
}

ChainMatrix quantile_indicator(const ChainMatrix& draws, double prob) {
  const double q = quantiles(draws.values(), {prob})[0];
  return draws.map([q](double x) { return x <= q ? 1.0 : 0.0; });
}

}  // namespace ebmc
