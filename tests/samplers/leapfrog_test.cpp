#include "ebmc/samplers/leapfrog.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/registry.h"
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

// The fused integrator (each chain's whole trajectory over raw memory) does the tensor path's
// arithmetic operation for operation: the same bits, per-chain or shared metric and step.
TEST_F(LeapfrogTest, FusedTrajectoriesEqualTheTensorPathBitForBit) {
  // (Targets whose batched path is their fused rows; the logistic regression's batched path is a
  // matrix product, equal to its rows to 1e-12, see fused_path_test.)
  for (const std::string spec : {"funnel:d=10,sigma=3", "icg", "scg", "rotated_icg:d=20"}) {
    SCOPED_TRACE(spec);
    const std::unique_ptr<Target> target = make_target(spec);
    ASSERT_TRUE(target->has_row_energy());
    const testing::WithoutRowEnergy tensor_only(*target);
    const int64_t d = target->dim();
    for (bool shared : {false, true}) {
      DiagonalMetric metric{torch::rand({shared ? 1 : 3, d}, torch::kFloat64) + 0.5};
      const torch::Tensor step = shared ? torch::tensor(0.05, torch::kFloat64)
                                        : torch::tensor({0.02, -0.05, 0.01}, torch::kFloat64);
      const PhasePoint z0 = start(*target, 0.3 * torch::randn({3, d}, torch::kFloat64),
                                  torch::randn({3, d}, torch::kFloat64));
      const PhasePoint fused = leapfrog(*target, metric, z0, step, 7);
      PhasePoint tensor = z0;
      for (int i = 0; i < 7; ++i) tensor = leapfrog(tensor_only, metric, tensor, step);
      EXPECT_TRUE(torch::equal(fused.x, tensor.x));
      EXPECT_TRUE(torch::equal(fused.p, tensor.p));
      EXPECT_TRUE(torch::equal(fused.grad, tensor.grad));
      EXPECT_TRUE(torch::equal(fused.energy, tensor.energy));
      // The input is left alone.
      EXPECT_FALSE(torch::equal(fused.x, z0.x));
    }
  }
}

// hamiltonian_row is PhasePoint::hamiltonian for one state, and writes the velocity M⁻¹p.
TEST_F(LeapfrogTest, RowHamiltonianMatchesTheBatchedOne) {
  const torch::Tensor p = torch::randn({2, 4}, torch::kFloat64);
  const torch::Tensor energy = torch::tensor({1.5, std::nan("")}, torch::kFloat64);
  DiagonalMetric metric{torch::rand({2, 4}, torch::kFloat64) + 0.5};
  const torch::Tensor batched = PhasePoint{p, p, energy, p}.hamiltonian(metric);
  double velocity[4];
  for (int64_t c = 0; c < 2; ++c) {
    const double h = hamiltonian_row(energy[c].item<double>(), p[c].data_ptr<double>(),
                                     metric.inverse[c].data_ptr<double>(), 4, velocity);
    if (c == 0) {
      EXPECT_NEAR(h, batched[c].item<double>(), 1e-12);
    } else {
      EXPECT_TRUE(std::isinf(h) && h > 0);
    }
    for (int64_t i = 0; i < 4; ++i) {
      EXPECT_DOUBLE_EQ(velocity[i], (metric.inverse[c][i] * p[c][i]).item<double>());
    }
  }
  EXPECT_TRUE(std::isinf(batched[1].item<double>()));
}

}  // namespace
}  // namespace ebmc
