#include "ebmc/core/metropolis.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ebmc/core/state.h"

namespace ebmc {
namespace {

TEST(MetropolisTest, NonFiniteRatiosAreRejectedAndCounted) {
  Rng rng(1);
  torch::Tensor ratio =
      torch::tensor({std::nan(""), HUGE_VAL, -HUGE_VAL, 0.0, 10.0}, torch::kFloat64);
  MetropolisResult mh = metropolis_hastings(ratio, rng);
  EXPECT_EQ(mh.nonfinite, 3);
  EXPECT_FALSE(mh.accepted[0].item<bool>());
  EXPECT_FALSE(mh.accepted[1].item<bool>());
  EXPECT_FALSE(mh.accepted[2].item<bool>());
  EXPECT_TRUE(mh.accepted[3].item<bool>());
  EXPECT_TRUE(mh.accepted[4].item<bool>());
  EXPECT_EQ(mh.accept_prob[0].item<double>(), 0.0);
  EXPECT_EQ(mh.accept_prob[3].item<double>(), 1.0);
}

TEST(MetropolisTest, AcceptanceFrequencyIsExpOfLogRatio) {
  Rng rng(2);
  const int64_t n = 200000;
  const double log_ratio = std::log(0.3);
  MetropolisResult mh = metropolis_hastings(torch::full({n}, log_ratio, torch::kFloat64), rng);
  const double rate = mh.accepted.to(torch::kFloat64).mean().item<double>();
  const double se = std::sqrt(0.3 * 0.7 / static_cast<double>(n));
  EXPECT_NEAR(rate, 0.3, 4 * se);
  EXPECT_NEAR(mh.accept_prob[0].item<double>(), 0.3, 1e-15);
}

TEST(MetropolisTest, SelectRowsKeepsAcceptedProposalsOnly) {
  State current{torch::zeros({3, 2}), torch::zeros({3}), torch::Tensor()};
  State proposal{torch::ones({3, 2}), torch::ones({3}), torch::Tensor()};
  select_rows(current, proposal, torch::tensor({true, false, true}));
  EXPECT_TRUE(torch::equal(current.x, torch::tensor({{1.f, 1.f}, {0.f, 0.f}, {1.f, 1.f}})));
  EXPECT_TRUE(torch::equal(current.energy, torch::tensor({1.f, 0.f, 1.f})));
  EXPECT_FALSE(current.grad.defined());
}

}  // namespace
}  // namespace ebmc
