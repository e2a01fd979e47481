#pragma once
// Moment checks shared by the sampler tests: every coordinate's mean and variance within k MCSE.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "ebmc/diagnostics/summary.h"

namespace ebmc::testing {

/// Checks that, for draws [iterations, chains, dim], each coordinate's mean is within `k` MCSE
/// of `mean` and its variance (the mean of (x − mean)², so the known mean is used) within `k`
/// MCSE of `variance`. Also requires R-hat < 1.1, so that the MCSE can be trusted.
inline void expect_moments_within_mcse(const torch::Tensor& draws, const torch::Tensor& mean,
                                       const torch::Tensor& variance, const std::string& label,
                                       double k = 4.0) {
  const std::vector<ChainMatrix> params = per_parameter(draws);
  for (size_t d = 0; d < params.size(); ++d) {
    const double mu = mean[static_cast<int64_t>(d)].item<double>();
    const double var = variance[static_cast<int64_t>(d)].item<double>();
    const ParameterSummary s = summarize("x", params[d]);
    EXPECT_LT(s.rhat, 1.1) << label << " coordinate " << d;
    EXPECT_NEAR(s.mean, mu, k * s.mcse_mean) << label << " mean of coordinate " << d;
    const ChainMatrix squared = params[d].map([mu](double x) { return (x - mu) * (x - mu); });
    const ParameterSummary s2 = summarize("x2", squared);
    EXPECT_NEAR(s2.mean, var, k * s2.mcse_mean) << label << " variance of coordinate " << d;
  }
}

}  // namespace ebmc::testing
