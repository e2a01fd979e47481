#include "ebmc/stein/ksd.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

double bandwidth_for(const KsdOptions& options, const torch::Tensor& x) {
  if (options.bandwidth < 0 || !std::isfinite(options.bandwidth)) {
    throw InputError("bandwidth must be finite and > 0 (or the median heuristic)", "--kernel");
  }
  const double h = options.bandwidth > 0 ? options.bandwidth : median_bandwidth(x);
  check_bandwidth(h);
  return h;
}

/// `value` over its standard error, or the value itself for the discrepancy objective.
double objective_value(double value, double standard_error, KsdObjective objective) {
  if (objective == KsdObjective::kDiscrepancy) return value;
  return standard_error > 0 ? value / standard_error : -INFINITY;
}

/// The rows a test uses and its bandwidth: with a learned bandwidth, h from the leading
/// `select_fraction` of the rows and the test on the rest (`selected` = how many were held out).
struct BandwidthAndRows {
  double h = 0;
  torch::Tensor x;
  int64_t selected = 0;
};

BandwidthAndRows choose_bandwidth(const Target& model, const torch::Tensor& x,
                                  const KsdOptions& options, bool linear, int64_t minimum_rows) {
  if (options.bandwidth > 0 || options.selection == KsdBandwidth::kMedian) {
    return {bandwidth_for(options, x), x, 0};
  }
  if (!(options.select_fraction > 0 && options.select_fraction < 1)) {
    throw InputError("the bandwidth's selection fraction must be in (0, 1)", "--kernel");
  }
  const int64_t n = x.size(0);
  const int64_t selected = std::max<int64_t>(
      2, std::llround(options.select_fraction * static_cast<double>(n)));
  if (n - selected < minimum_rows) {
    throw InputError("too few rows to learn the bandwidth on " + std::to_string(selected) +
                         " and test on the rest",
                     "--data");
  }
  const double h =
      learned_bandwidth(model, x.narrow(0, 0, selected), options.objective, linear);
  return {h, x.narrow(0, selected, n - selected), selected};
}

/// The linear-time estimate's pairs (x₂ᵢ, x₂ᵢ₊₁): u_q of each, [⌊n/2⌋].
torch::Tensor pair_values(const torch::Tensor& x, const torch::Tensor& score, double h) {
  const int64_t m = x.size(0) / 2;
  const torch::Tensor even = torch::arange(0, 2 * m, 2, torch::kInt64), odd = even + 1;
  return stein_kernel_rows(x.index_select(0, even), score.index_select(0, even),
                           x.index_select(0, odd), score.index_select(0, odd), h);
}

}  // namespace

double learned_bandwidth(const Target& model, const torch::Tensor& x, KsdObjective objective,
                         bool linear) {
  torch::NoGradGuard no_grad;
  const torch::Tensor rows = x.to(torch::kFloat64);
  const torch::Tensor score = model_score(model, rows);
  const double median = median_bandwidth(rows);
  const double n = static_cast<double>(rows.size(0));
  double best = -INFINITY, best_h = median;
  for (int k = -24; k <= 24; ++k) {
    const double h = median * std::pow(2.0, k / 4.0);
    if (!computable_bandwidth(h)) continue;
    double value;
    if (linear) {
      const torch::Tensor u = pair_values(rows, score, h);
      const double pairs = static_cast<double>(u.size(0));
      value = objective_value(u.mean().item<double>(), u.std().item<double>() / std::sqrt(pairs),
                              objective);
    } else {
      // The U-statistic is the mean of the rows' off-diagonal means; its standard error to first
      // order 2·sd(row means)/√n (Hoeffding).
      const torch::Tensor H = stein_kernel_matrix(rows, score, h);
      const torch::Tensor row_means = (H.sum(1) - H.diagonal()) / (n - 1.0);
      value = objective_value(row_means.mean().item<double>(),
                              2.0 * row_means.std().item<double>() / std::sqrt(n), objective);
    }
    if (std::isfinite(value) && value > best) {
      best = value;
      best_h = h;
    }
  }
  return best_h;
}

SteinTestResult ksd_test(const Target& model, const torch::Tensor& data, const KsdOptions& options,
                         Rng& rng) {
  check_test_data(model, data, 2, "--data");
  if (options.bootstrap < 1)
    throw InputError("needs at least 1 bootstrap replicate", "--bootstrap");
  torch::NoGradGuard no_grad;
  const BandwidthAndRows chosen = choose_bandwidth(model, data.to(torch::kFloat64), options,
                                                   /*linear=*/false, 2);
  const torch::Tensor& x = chosen.x;
  const int64_t n = x.size(0);
  const double h = chosen.h;
  const torch::Tensor score = model_score(model, x);
  const torch::Tensor H = stein_kernel_matrix(x, score, h);
  require_finite_kernel(H, "the Stein kernel matrix", x, score, h);
  const double pairs = static_cast<double>(n) * static_cast<double>(n - 1);
  const double trace = H.diagonal().sum().item<double>();
  const double statistic = (H.sum().item<double>() - trace) / pairs;
  // Replicates in blocks, so that memory stays O(block · n).
  int64_t exceed = 0;
  for (int64_t done = 0; done < options.bootstrap; done += 256) {
    const int64_t block = std::min<int64_t>(256, options.bootstrap - done);
    const torch::Tensor w = 2 * (rng.uniform({block, n}) < 0.5).to(torch::kFloat64) - 1;
    const torch::Tensor replicates = ((w.matmul(H) * w).sum(1) - trace) / pairs;
    exceed += (replicates >= statistic).sum().item<int64_t>();
  }
  SteinTestResult result;
  result.test = "ksd";
  result.statistic = statistic;
  result.p_value = static_cast<double>(1 + exceed) / static_cast<double>(1 + options.bootstrap);
  result.n = n;
  result.bandwidth = h;
  result.extra = {{"bootstrap", options.bootstrap}};
  if (chosen.selected > 0) result.extra["bandwidth_rows"] = chosen.selected;
  result.require_finite();
  return result;
}

SteinTestResult lksd_test(const Target& model, const torch::Tensor& data,
                          const KsdOptions& options) {
  check_test_data(model, data, 4, "--data");
  torch::NoGradGuard no_grad;
  const BandwidthAndRows chosen = choose_bandwidth(model, data.to(torch::kFloat64), options,
                                                   /*linear=*/true, 4);
  const torch::Tensor& x = chosen.x;
  const int64_t m = x.size(0) / 2;
  const double h = chosen.h;
  const torch::Tensor score = model_score(model, x);
  const torch::Tensor u = pair_values(x, score, h);
  require_finite_kernel(u, "the linear-time Stein kernel", x, score, h);
  const double mean = u.mean().item<double>(), sd = u.std().item<double>();
  SteinTestResult result;
  result.test = "lksd";
  result.statistic = mean;
  result.p_value = sd > 0 ? upper_normal_tail(std::sqrt(static_cast<double>(m)) * mean / sd)
                          : (mean > 0 ? 0.0 : 1.0);
  result.n = x.size(0);
  result.bandwidth = h;
  result.extra = {{"pairs", m}, {"stderr", sd / std::sqrt(static_cast<double>(m))}};
  if (chosen.selected > 0) result.extra["bandwidth_rows"] = chosen.selected;
  result.require_finite();
  return result;
}

}  // namespace ebmc
