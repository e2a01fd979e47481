// initial_points: Stan's random inits, retried per chain where the target is not finite; a
// chain's points depend on the seed and its index alone; clear errors after 100 tries or for
// given values outside the support.

#include "ebmc/core/initial_points.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ebmc/core/errors.h"

namespace ebmc {
namespace {

/// U = Σx on the positive orthant, +∞ elsewhere.
class PositiveOrthant : public Target {
 public:
  explicit PositiveOrthant(int64_t dim) : dim_(dim) {}
  int64_t dim() const override { return dim_; }
  std::string name() const override { return "orthant"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override {
    return torch::where((x > 0).all(1), x.sum(1), torch::full({x.size(0)}, INFINITY, x.options()));
  }

 private:
  int64_t dim_;
};

TEST(InitialPointsTest, RetriesOnlyTheChainsOutsideTheSupport) {
  const PositiveOrthant target(3);
  Rng rng(7, ChainStreams{0, 6});
  const InitialPoints points = initial_points(target, 6, 2.0, rng);
  EXPECT_TRUE((points.x > 0).all().item<bool>());
  int64_t retried = 0;
  for (int64_t a : points.attempts) retried += a > 1;
  EXPECT_GT(retried, 0);  // each draw is inside with probability 1/8
  // A chain's points depend on the seed and its global index alone: chains 3-5 on their own.
  Rng slice_rng(7, ChainStreams{3, 3});
  const InitialPoints slice = initial_points(target, 3, 2.0, slice_rng);
  EXPECT_TRUE(torch::equal(slice.x, points.x.narrow(0, 3, 3)));
  for (int64_t c = 0; c < 3; ++c) EXPECT_EQ(slice.attempts[c], points.attempts[3 + c]);
}

TEST(InitialPointsTest, SaysHowManyWereTriedAndKeepsGivenValues) {
  const PositiveOrthant target(40);  // a draw is inside with probability 2^-40: never
  Rng rng(1, ChainStreams{4, 2});
  try {
    initial_points(target, 2, 2.0, rng, {}, /*first_chain=*/4);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("chain 5 found no initial point with a finite energy "
                                         "and gradient in 100 random draws"),
              std::string::npos)
        << e.what();
  }
  // Values given for every coordinate are used as they are; outside the support they are refused.
  const PositiveOrthant small(2);
  torch::Tensor given = torch::tensor({{0.5, 0.25}, {std::nan(""), 1.0}}, torch::kFloat64);
  Rng rng2(2, ChainStreams{0, 2});
  const InitialPoints points = initial_points(small, 2, 2.0, rng2, given);
  EXPECT_TRUE(torch::equal(points.x[0], given[0]));
  EXPECT_EQ(points.x[1][1].item<double>(), 1.0);
  EXPECT_GT(points.x[1][0].item<double>(), 0.0);
  given[0][0] = -1.0;
  Rng rng3(2, ChainStreams{0, 2});
  EXPECT_THROW(initial_points(small, 2, 2.0, rng3, given), InputError);
}

}  // namespace
}  // namespace ebmc
