#include "ebmc/diagnostics/transforms.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ebmc/diagnostics/autocovariance.h"
#include "ebmc/diagnostics/normal_quantile.h"

namespace ebmc {
namespace {

ChainMatrix column(const std::vector<double>& values) {
  ChainMatrix m(static_cast<int64_t>(values.size()), 1);
  m.values() = values;
  return m;
}

TEST(TransformsTest, SplitChainsDropsTheMiddleDrawOfOddChains) {
  ChainMatrix m(5, 2);
  for (int64_t c = 0; c < 2; ++c) {
    for (int64_t i = 0; i < 5; ++i)
      m(i, c) = 10.0 * static_cast<double>(c) + static_cast<double>(i);
  }
  ChainMatrix s = split_chains(m);
  ASSERT_EQ(s.iterations(), 2);
  ASSERT_EQ(s.chains(), 4);
  EXPECT_EQ(s.values(), (std::vector<double>{0, 1, 10, 11, 3, 4, 13, 14}));
}

TEST(TransformsTest, ZScaleUsesAverageRanksAndBlomOffset) {
  ChainMatrix z = z_scale(column({3.0, 1.0, 3.0, 2.0}));
  // Ranks 3.5, 1, 3.5, 2 -> qnorm((r - 3/8) / (4 + 1/4)).
  auto qnorm = [](double p) {
    return torch::special::ndtri(torch::tensor(p, torch::kFloat64)).item<double>();
  };
  EXPECT_NEAR(z.values()[0], qnorm(3.125 / 4.25), 1e-15);
  EXPECT_NEAR(z.values()[1], qnorm(0.625 / 4.25), 1e-15);
  EXPECT_EQ(z.values()[0], z.values()[2]);
  EXPECT_NEAR(z.values()[3], qnorm(1.625 / 4.25), 1e-15);
}

TEST(TransformsTest, ZScaleRanksLikeRsRankOnMixedSigns) {
  // Negative, zero of both signs, ties, infinities and NaN: the radix sort must order them as
  // doubles compare (−0 == 0 tie), NaN ranked last but returned as NaN.
  const std::vector<double> x = {2.5,       -0.0, -7.0,   0.0,     2.5,
                                 -INFINITY, NAN,  1e-300, -1e-300, INFINITY};
  const std::vector<double> ranks = {7.5, 4.5, 2, 4.5, 7.5, 1, NAN, 6, 3, 9};
  const ChainMatrix z = z_scale(column(x));
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(ranks[i])) {
      EXPECT_TRUE(std::isnan(z.values()[i]));
      continue;
    }
    const double u = (ranks[i] - 0.375) / (10.0 + 0.25);
    EXPECT_EQ(z.values()[i], normal_quantile(u)) << i;
  }
}

TEST(TransformsTest, FoldAndQuantileIndicator) {
  ChainMatrix f = fold_draws(column({1.0, 2.0, 4.0, 8.0}));
  // median 3: |x - 3|
  EXPECT_EQ(f.values(), (std::vector<double>{2.0, 1.0, 1.0, 5.0}));
  ChainMatrix ind = quantile_indicator(column({1.0, 2.0, 3.0, 4.0, 5.0}), 0.5);
  EXPECT_EQ(ind.values(), (std::vector<double>{1, 1, 1, 0, 0}));
  // As posterior: |x − median| in double arithmetic, even where the median (the midpoint of the
  // two middle draws) is not a double and the two middle draws fold one ulp apart.
  const double lower = 0.011220541389466, upper = 0.012763312849851501;
  const ChainMatrix g = fold_draws(column({lower, upper, 0.0, 1.0}));
  const double median = (lower + upper) / 2.0;
  EXPECT_EQ(g.values()[0], median - lower);
  EXPECT_EQ(g.values()[1], upper - median);
  EXPECT_NE(g.values()[0], g.values()[1]);
}

TEST(TransformsTest, AutocovarianceMatchesDirectSums) {
  const std::vector<double> x = {0.3, -1.2, 2.5, 0.7, -0.4, 1.1, -2.0};
  ChainMatrix acov = autocovariance(column(x));
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  for (size_t lag = 0; lag < x.size(); ++lag) {
    double sum = 0;
    for (size_t t = 0; t + lag < x.size(); ++t) sum += (x[t] - mean) * (x[t + lag] - mean);
    EXPECT_NEAR(acov(static_cast<int64_t>(lag), 0), sum / static_cast<double>(x.size()), 1e-14)
        << "lag " << lag;
  }
  // Long chains take the FFT path, short ones direct sums: the same values either way.
  ChainMatrix two(130, 2);
  for (int64_t i = 0; i < 130; ++i) {
    two(i, 0) = std::sin(0.3 * static_cast<double>(i)) + 0.01 * static_cast<double>(i % 7);
    two(i, 1) = std::cos(1.7 * static_cast<double>(i));
  }
  const ChainMatrix long_acov = autocovariance(two);
  ChainMatrix short_part(60, 2);
  for (int64_t i = 0; i < 60; ++i) {
    for (int64_t c = 0; c < 2; ++c) short_part(i, c) = two(i, c);
  }
  const ChainMatrix direct = autocovariance(short_part);
  for (int64_t lag = 0; lag < 60; ++lag) {
    double mean = 0, sum = 0;
    for (int64_t i = 0; i < 60; ++i) mean += two(i, 1) / 60.0;
    for (int64_t i = 0; i + lag < 60; ++i) sum += (two(i, 1) - mean) * (two(i + lag, 1) - mean);
    EXPECT_NEAR(direct(lag, 1), sum / 60.0, 1e-14);
  }
  double long_mean = 0;
  for (int64_t i = 0; i < 130; ++i) long_mean += two(i, 0) / 130.0;
  for (int64_t lag : {0, 1, 5, 64, 129}) {
    double sum = 0;
    for (int64_t i = 0; i + lag < 130; ++i) {
      sum += (two(i, 0) - long_mean) * (two(i + lag, 0) - long_mean);
    }
    EXPECT_NEAR(long_acov(lag, 0), sum / 130.0, 1e-13) << lag;
  }
  ChainMatrix constant = autocovariance(column({2.0, 2.0, 2.0}));
  EXPECT_EQ(constant.values(), (std::vector<double>{0.0, 0.0, 0.0}));
}

}  // namespace
}  // namespace ebmc
