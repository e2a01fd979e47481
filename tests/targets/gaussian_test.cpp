#include "ebmc/targets/gaussian.h"

#include <gtest/gtest.h>

#include "ebmc/core/errors.h"
#include "test_support.h"

namespace ebmc {
namespace {

class GaussianTest : public testing::SeedingFixture {};

TEST_F(GaussianTest, AnalyticGradientMatchesAutograd) {
  DiagonalGaussian g(torch::tensor({0.5, -1.0, 2.0}, torch::kFloat64),
                     torch::tensor({0.1, 1.0, 10.0}, torch::kFloat64));
  testing::AutogradOf reference(g);
  torch::Tensor x = torch::randn({6, 3}, torch::kFloat64);
  EnergyAndGrad analytic = g.energy_and_grad(x);
  EnergyAndGrad autograd = reference.energy_and_grad(x);
  EXPECT_TRUE(torch::allclose(analytic.energy, autograd.energy, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(analytic.grad, autograd.grad, 1e-12, 1e-12));
}

TEST_F(GaussianTest, GradientMatchesFiniteDifferences) {
  DiagonalGaussian g(torch::tensor({0.5, -1.0}, torch::kFloat64),
                     torch::tensor({0.7, 2.0}, torch::kFloat64));
  torch::Tensor x = torch::randn({4, 2}, torch::kFloat64);
  torch::Tensor grad = g.energy_and_grad(x).grad;
  const double h = 1e-6;
  for (int64_t d = 0; d < 2; ++d) {
    torch::Tensor e = torch::zeros({1, 2}, torch::kFloat64);
    e[0][d] = h;
    torch::Tensor fd = (g.energy(x + e) - g.energy(x - e)) / (2 * h);
    EXPECT_TRUE(torch::allclose(grad.select(1, d), fd, 1e-6, 1e-8));
  }
}

TEST_F(GaussianTest, RejectsInvalidParameters) {
  EXPECT_THROW(DiagonalGaussian(torch::zeros({2}), torch::ones({3})), InputError);
  EXPECT_THROW(DiagonalGaussian(torch::zeros({2}), torch::tensor({1.0, 0.0})), InputError);
  EXPECT_THROW(DiagonalGaussian(torch::tensor({NAN}), torch::ones({1})), InputError);
  EXPECT_THROW(DiagonalGaussian::standard(0), InputError);
}

}  // namespace
}  // namespace ebmc
