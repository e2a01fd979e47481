#include "ebmc/core/rng.h"

#include <gtest/gtest.h>

namespace ebmc {
namespace {

TEST(RngTest, SameSeedGivesIdenticalDraws) {
  Rng a(7);
  Rng b(7);
  EXPECT_TRUE(torch::equal(a.normal({100, 3}), b.normal({100, 3})));
  EXPECT_TRUE(torch::equal(a.uniform({50}), b.uniform({50})));
}

TEST(RngTest, DifferentSeedsGiveDifferentDraws) {
  Rng a(7);
  Rng b(8);
  EXPECT_FALSE(torch::equal(a.normal({100}), b.normal({100})));
}

TEST(RngTest, IndependentOfTheGlobalGenerator) {
  Rng a(3);
  torch::Tensor first = a.normal({10});
  torch::manual_seed(99);
  torch::randn({1000});
  Rng b(3);
  EXPECT_TRUE(torch::equal(first, b.normal({10})));
}

TEST(RngTest, DrawsHaveRequestedDtypeAndRange) {
  Rng rng(1);
  torch::Tensor u = rng.uniform({1000});
  EXPECT_EQ(u.scalar_type(), torch::kFloat64);
  EXPECT_GE(u.min().item<double>(), 0.0);
  EXPECT_LT(u.max().item<double>(), 1.0);
  EXPECT_EQ(rng.normal({2}, torch::kFloat32).scalar_type(), torch::kFloat32);
  EXPECT_EQ(rng.seed(), 1u);
}

}  // namespace
}  // namespace ebmc
