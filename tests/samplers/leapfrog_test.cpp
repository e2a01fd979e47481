#include "ebmc/samplers/leapfrog.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ebmc/targets/gaussian.h"
#include "test_support.h"

namespace ebmc {
namespace {

class LeapfrogTest : public testing::SeedingFixture {};

PhasePoint start(const Target& target, const torch::Tensor& x, const torch::Tensor& p) {
  EnergyAndGrad eg = target.energy_and_grad(x);
  return {x, p, eg.energy, eg.grad};
}

TEST_F(LeapfrogTest, ReversibleTo1e10) {
  DiagonalGaussian target(torch::zeros({5}, torch::kFloat64),
                          torch::tensor({0.5, 1.0, 2.0, 3.0, 0.8}, torch::kFloat64));
  DiagonalMetric metric{torch::rand({3, 5}, torch::kFloat64) + 0.5};
  PhasePoint z0 =
      start(target, torch::randn({3, 5}, torch::kFloat64), torch::randn({3, 5}, torch::kFloat64));
  const torch::Tensor step = torch::tensor({0.1, 0.2, 0.05}, torch::kFloat64);
  PhasePoint z = z0;
  for (int i = 0; i < 50; ++i) z = leapfrog(target, metric, z, step);
  z.p = -z.p;
  for (int i = 0; i < 50; ++i) z = leapfrog(target, metric, z, step);
  EXPECT_LT((z.x - z0.x).abs().max().item<double>(), 1e-10);
  EXPECT_LT((z.p + z0.p).abs().max().item<double>(), 1e-10);
  // A negative step integrates backwards.
  PhasePoint forward = leapfrog(target, metric, z0, step);
  PhasePoint back = leapfrog(target, metric, forward, -step);
  EXPECT_LT((back.x - z0.x).abs().max().item<double>(), 1e-12);
}

TEST_F(LeapfrogTest, EnergyErrorIsSecondOrderInStepSize) {
  DiagonalGaussian target(torch::zeros({4}, torch::kFloat64),
                          torch::tensor({1.0, 1.5, 2.0, 0.7}, torch::kFloat64));
  DiagonalMetric metric = DiagonalMetric::identity(1, 4);
  const torch::Tensor x = torch::randn({1, 4}, torch::kFloat64);
  const torch::Tensor p = torch::randn({1, 4}, torch::kFloat64);
  auto max_error = [&](double eps) {
    PhasePoint z = start(target, x, p);
    const double h0 = z.hamiltonian(metric).item<double>();
    double worst = 0;
    const int steps = static_cast<int>(std::lround(2.0 / eps));  // same integration time
    for (int i = 0; i < steps; ++i) {
      z = leapfrog(target, metric, z, torch::tensor(eps, torch::kFloat64));
      worst = std::max(worst, std::fabs(z.hamiltonian(metric).item<double>() - h0));
    }
    return worst;
  };
  const double e1 = max_error(0.1);
  const double e2 = max_error(0.05);
  const double e3 = max_error(0.025);
  EXPECT_NEAR(e1 / e2, 4.0, 0.4);
  EXPECT_NEAR(e2 / e3, 4.0, 0.4);
}

TEST_F(LeapfrogTest, HamiltonianMapsNaNToInfinity) {
  DiagonalMetric metric = DiagonalMetric::identity(2, 1);
  PhasePoint z{torch::zeros({2, 1}), torch::zeros({2, 1}, torch::kFloat64),
               torch::tensor({std::nan(""), 1.0}, torch::kFloat64), torch::zeros({2, 1})};
  torch::Tensor h = z.hamiltonian(metric);
  EXPECT_TRUE(std::isinf(h[0].item<double>()));
  EXPECT_EQ(h[1].item<double>(), 1.0);
}

}  // namespace
}  // namespace ebmc
