#include "ebmc/stein/ksd.h"

#include <cmath>

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

}  // namespace

SteinTestResult ksd_test(const Target& model, const torch::Tensor& data, const KsdOptions& options,
                         Rng& rng) {
  check_test_data(model, data, 2, "--data");
  if (options.bootstrap < 1)
    throw InputError("needs at least 1 bootstrap replicate", "--bootstrap");
  torch::NoGradGuard no_grad;
  const torch::Tensor x = data.to(torch::kFloat64);
  const int64_t n = x.size(0);
  const double h = bandwidth_for(options, x);
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
  result.require_finite();
  return result;
}

SteinTestResult lksd_test(const Target& model, const torch::Tensor& data,
                          const KsdOptions& options) {
  check_test_data(model, data, 4, "--data");
  torch::NoGradGuard no_grad;
  const torch::Tensor x = data.to(torch::kFloat64);
  const int64_t m = x.size(0) / 2;
  const double h = bandwidth_for(options, x);
  const torch::Tensor score = model_score(model, x);
  const torch::Tensor even = torch::arange(0, 2 * m, 2, torch::kInt64), odd = even + 1;
  const torch::Tensor u = stein_kernel_rows(x.index_select(0, even), score.index_select(0, even),
                                            x.index_select(0, odd), score.index_select(0, odd), h);
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
  result.require_finite();
  return result;
}

}  // namespace ebmc
