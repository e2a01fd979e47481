// Undefined and pathological inputs: the diagnostics return NaN with a reason, never crash, and
// flag non-convergence where they should.

#include <gtest/gtest.h>

#include <cmath>

#include "ebmc/core/rng.h"
#include "ebmc/diagnostics/ess.h"
#include "ebmc/diagnostics/rhat.h"
#include "ebmc/diagnostics/summary.h"

namespace ebmc {
namespace {

ChainMatrix normal_draws(int64_t iterations, int64_t chains, uint64_t seed) {
  Rng rng(seed);
  return ChainMatrix::from_tensor(rng.normal({iterations, chains}));
}

TEST(DiagnosticsEdgeCases, ConstantDrawsAreUndefinedWithReason) {
  ChainMatrix m(100, 4);
  std::fill(m.values().begin(), m.values().end(), 3.0);
  ParameterSummary s = summarize("c", m);
  EXPECT_TRUE(std::isnan(s.rhat));
  EXPECT_TRUE(std::isnan(s.rhat_basic));
  EXPECT_TRUE(std::isnan(s.ess_bulk));
  EXPECT_TRUE(std::isnan(s.ess_tail));
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_EQ(s.sd, 0.0);
  EXPECT_EQ(s.note, "all draws are equal");
}

TEST(DiagnosticsEdgeCases, NaNDrawsAreUndefinedWithReason) {
  ChainMatrix m = normal_draws(100, 2, 1);
  m(5, 1) = NAN;
  ParameterSummary s = summarize("n", m);
  for (double value : {s.mean, s.sd, s.q50, s.rhat, s.rhat_basic, s.ess_bulk, s.ess_tail,
                       s.ess_basic, s.mcse_mean, s.mcse_sd}) {
    EXPECT_TRUE(std::isnan(value));
  }
  EXPECT_EQ(s.note, "draws contain NaN");
}

TEST(DiagnosticsEdgeCases, InfiniteDrawsLeaveOnlyRankBasedValuesDefined) {
  // As in R's posterior: ranks are defined with Inf, moments are not.
  ChainMatrix m = normal_draws(100, 2, 1);
  m(5, 1) = INFINITY;
  ParameterSummary s = summarize("i", m);
  EXPECT_TRUE(std::isfinite(s.rhat));
  EXPECT_TRUE(std::isfinite(s.ess_bulk));
  EXPECT_TRUE(std::isnan(s.ess_basic));
  EXPECT_TRUE(std::isnan(s.mcse_mean));
  EXPECT_TRUE(std::isnan(s.ess_tail));
  EXPECT_NE(s.note.find("Inf"), std::string::npos);
}

TEST(DiagnosticsEdgeCases, TooShortChains) {
  ChainMatrix m = normal_draws(5, 4, 2);  // split chains of 2 draws
  ParameterSummary s = summarize("short", m);
  EXPECT_TRUE(std::isnan(s.ess_bulk));
  EXPECT_TRUE(std::isnan(s.ess_basic));
  EXPECT_TRUE(std::isfinite(s.rhat));
  EXPECT_EQ(s.note, "fewer than 3 draws per split chain");
  ChainMatrix one(1, 3);
  one.values() = {1.0, 2.0, 3.0};
  EXPECT_TRUE(std::isnan(rhat(one)));
  EXPECT_TRUE(std::isnan(ess_bulk(one)));
}

TEST(DiagnosticsEdgeCases, ChainStuckAtAnotherLocationIsFlagged) {
  ChainMatrix m = normal_draws(1000, 4, 3);
  for (int64_t i = 0; i < 1000; ++i) m(i, 2) += 3.0;
  EXPECT_GT(rhat(m), 1.3);
  EXPECT_LT(ess_bulk(m), 100.0);
}

TEST(DiagnosticsEdgeCases, ChainWithAnotherScaleIsFlaggedByTheFoldedRhat) {
  ChainMatrix m = normal_draws(1000, 4, 4);
  for (int64_t i = 0; i < 1000; ++i) m(i, 1) *= 4.0;
  EXPECT_LT(rhat_basic(m), 1.01);  // the classic R-hat misses it
  EXPECT_GT(rhat(m), 1.05);        // the folded rank R-hat catches it
}

TEST(DiagnosticsEdgeCases, HeavyTailsKeepRankDiagnosticsStable) {
  Rng rng(5);
  torch::Tensor u = rng.uniform({1000, 4});
  ChainMatrix cauchy = ChainMatrix::from_tensor(torch::tan(M_PI * (u - 0.5)));
  EXPECT_GT(ess_bulk(cauchy), 3000.0);
  EXPECT_LT(rhat(cauchy), 1.01);
}

TEST(DiagnosticsEdgeCases, DiscreteDrawsGiveUndefinedTailEssWithReason) {
  ChainMatrix m(200, 2);
  for (int64_t c = 0; c < 2; ++c) {
    for (int64_t i = 0; i < 200; ++i) m(i, c) = static_cast<double>((i * 7 + c) % 3 == 0);
  }
  ParameterSummary s = summarize("b", m);
  EXPECT_TRUE(std::isfinite(s.ess_bulk));
  EXPECT_TRUE(std::isnan(s.ess_tail));
  EXPECT_NE(s.note.find("tail-ESS"), std::string::npos);
}

TEST(DiagnosticsEdgeCases, AntitheticChainsGiveEssAboveDrawCount) {
  // x_{t+1} = -x_t + small noise: strongly antithetic, ESS exceeds the number of draws.
  Rng rng(6);
  torch::Tensor noise = rng.normal({1000, 4});
  torch::Tensor x = torch::empty({1000, 4}, torch::kFloat64);
  x[0] = noise[0];
  for (int64_t t = 1; t < 1000; ++t) x[t] = -0.6 * x[t - 1] + noise[t];
  EXPECT_GT(ess_basic(ChainMatrix::from_tensor(x)), 4000.0);
  // And never above the cap S log10(S).
  EXPECT_LE(ess_basic(ChainMatrix::from_tensor(x)), 4000.0 * std::log10(4000.0));
}

}  // namespace
}  // namespace ebmc
