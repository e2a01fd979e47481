#include "ebmc/core/rng.h"

#include <ATen/core/PhiloxRNGEngine.h>
#include <gtest/gtest.h>

#include <cmath>

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

TEST(RngTest, PerChainStreamsAreAtensPhilox4x32) {
  // Independent implementation: ATen's header-only Philox engine, counter {offset, chain},
  // key = seed. Chain c's first block gives its first two uniforms (53 bits of each 64-bit word).
  const uint64_t seed = 0x0123456789abcdefull;
  Rng rng(seed, {/*first=*/10, /*count=*/3});
  const torch::Tensor u = rng.uniform({3, 2});
  for (int64_t c = 0; c < 3; ++c) {
    at::Philox4_32 engine(seed, /*subsequence=*/10 + static_cast<uint64_t>(c), /*offset=*/0);
    uint32_t w[4];
    for (uint32_t& word : w) word = engine();
    for (int64_t k = 0; k < 2; ++k) {
      const uint64_t bits = (static_cast<uint64_t>(w[2 * k]) << 32) | w[2 * k + 1];
      EXPECT_EQ(u[c][k].item<double>(), static_cast<double>(bits >> 11) * 0x1.0p-53);
    }
  }
}

TEST(RngTest, ChainRowsDependOnlyOnSeedAndGlobalIndex) {
  Rng four(5, {0, 4}), eight(5, {0, 8}), offset(5, {4, 4});
  for (int transition = 0; transition < 3; ++transition) {
    const torch::Tensor a = four.normal({4, 7}), b = eight.normal({8, 7}),
                        c = offset.normal({4, 7});
    EXPECT_TRUE(torch::equal(a, b.narrow(0, 0, 4)));
    EXPECT_TRUE(torch::equal(c, b.narrow(0, 4, 4)));
    EXPECT_EQ(four.shared_uniform(), eight.shared_uniform());
    four.next_transition();
    eight.next_transition();
    offset.next_transition();
  }
  // A chain that drew more in one transition does not shift another's next one.
  Rng lazy(5, {0, 2}), busy(5, {0, 2});
  busy.uniform({2, 1000});
  lazy.next_transition();
  busy.next_transition();
  EXPECT_TRUE(torch::equal(lazy.normal({2, 3}), busy.normal({2, 3})));
}

TEST(RngTest, PerChainDrawsHaveTheRightMoments) {
  Rng rng(11, {0, 200});
  const torch::Tensor z = rng.normal({200, 501}), u = rng.uniform({200, 500});
  const double n = static_cast<double>(z.numel());
  EXPECT_NEAR(z.mean().item<double>(), 0.0, 4.0 / std::sqrt(n));
  EXPECT_NEAR(z.var().item<double>(), 1.0, 4.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR((z.pow(4)).mean().item<double>(), 3.0, 4.0 * std::sqrt(96.0 / n));
  EXPECT_NEAR(u.mean().item<double>(), 0.5, 4.0 * std::sqrt(1.0 / 12.0 / n));
  EXPECT_GE(u.min().item<double>(), 0.0);
  EXPECT_LT(u.max().item<double>(), 1.0);
  // Neighbouring chains are uncorrelated.
  const double r = (z[0] * z[1]).mean().item<double>();
  EXPECT_LT(std::abs(r), 4.0 / std::sqrt(501.0));
  EXPECT_EQ(rng.normal({200, 2}, torch::kFloat32).scalar_type(), torch::kFloat32);
}

TEST(RngTest, PerChainStreamsRefuseDrawsNotShapedByChain) {
  Rng rng(1, {0, 4});
  EXPECT_TRUE(rng.per_chain());
  EXPECT_THROW(rng.uniform({1}), std::logic_error);
  EXPECT_THROW(rng.normal({}), std::logic_error);
  EXPECT_THROW(rng.generator(), std::logic_error);
  EXPECT_THROW(Rng(1, {0, 0}), std::invalid_argument);
  EXPECT_FALSE(Rng(1).per_chain());
}

TEST(RngTest, ARowsViewDrawsItsRowsOfTheWholeBatchAndKeepsTheStreamInStep) {
  Rng whole(7), shared(7);
  const torch::Tensor normal = whole.normal({5, 3}), uniform = whole.uniform({5});
  Rng rows = shared.rows(1, 3, 5);
  EXPECT_FALSE(rows.per_chain());
  EXPECT_TRUE(torch::equal(rows.normal({3, 3}), normal.narrow(0, 1, 3)));
  EXPECT_TRUE(torch::equal(rows.uniform({3}), uniform.narrow(0, 1, 3)));
  // The view advanced the stream it shares as the whole batch's draws did.
  EXPECT_TRUE(torch::equal(shared.normal({2}), whole.normal({2})));
  EXPECT_THROW(rows.normal({5, 3}), std::logic_error);  // not its number of rows
  EXPECT_THROW(rows.rows(0, 1, 3), std::logic_error);
  EXPECT_THROW(Rng(1, {0, 4}).rows(0, 2, 4), std::logic_error);
  EXPECT_THROW(Rng(1).rows(4, 2, 5), std::logic_error);
}

}  // namespace
}  // namespace ebmc
