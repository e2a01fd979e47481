#include "ebmc/diagnostics/basic_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ebmc {
namespace {

TEST(BasicStatsTest, QuantilesMatchRType7) {
  // R: quantile(1:10, c(0, 0.05, 0.5, 0.95, 1)) = 1, 1.45, 5.5, 9.55, 10
  std::vector<double> v = {10, 3, 1, 2, 5, 4, 6, 7, 9, 8};
  std::vector<double> q = quantiles(v, {0.0, 0.05, 0.5, 0.95, 1.0});
  EXPECT_DOUBLE_EQ(q[0], 1.0);
  EXPECT_DOUBLE_EQ(q[1], 1.45);
  EXPECT_DOUBLE_EQ(q[2], 5.5);
  EXPECT_DOUBLE_EQ(q[3], 9.55);
  EXPECT_DOUBLE_EQ(q[4], 10.0);
  EXPECT_TRUE(std::isnan(quantiles({1.0, NAN}, {0.5})[0]));
  EXPECT_TRUE(std::isnan(quantiles({}, {0.5})[0]));
}

TEST(BasicStatsTest, MedianMeanAndVarianceFollowR) {
  EXPECT_DOUBLE_EQ(median_of({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median_of({5, 1, 3}), 3.0);
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(mean_of(v.data(), v.size()), 2.5);
  EXPECT_DOUBLE_EQ(variance_of(v.data(), v.size()), 5.0 / 3.0);
  EXPECT_TRUE(std::isnan(variance_of(v.data(), 1)));
}

TEST(BasicStatsTest, ConstantAndNonFiniteDetection) {
  EXPECT_TRUE(is_constant({2.0, 2.0, 2.0}));
  EXPECT_FALSE(is_constant({2.0, 2.0, 2.0 + 1e-12}));
  EXPECT_TRUE(has_nonfinite({1.0, INFINITY}));
  EXPECT_TRUE(has_nonfinite({NAN}));
  EXPECT_FALSE(has_nonfinite({1.0, -3.0}));
}

}  // namespace
}  // namespace ebmc
