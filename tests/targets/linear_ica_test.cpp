// Linear ICA: a normalized density, its gradient, the condition-number rule and exact draws.

#include "ebmc/targets/linear_ica.h"

#include <gtest/gtest.h>

#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(LinearIcaTest, DensityIsNormalizedAndItsGradientIsAutograd) {
  for (IcaSources sources : {IcaSources::kLaplace, IcaSources::kLogistic}) {
    const LinearIca ica = LinearIca::random(2, 3, sources);
    // ∫ exp(−U) on a 1200² grid over ±30 (tails below 1e-6).
    const torch::Tensor axis = torch::linspace(-30, 30, 1200, torch::kFloat64);
    const auto grid = torch::meshgrid({axis, axis}, "ij");
    const torch::Tensor points = torch::stack({grid[0].flatten(), grid[1].flatten()}, 1);
    const double cell = std::pow(60.0 / 1199.0, 2);
    EXPECT_NEAR(torch::exp(-ica.energy(points)).sum().item<double>() * cell, 1.0, 5e-3);
    Rng rng(1);
    const torch::Tensor x = rng.normal({5, 2}).requires_grad_(true);
    const torch::Tensor grad = torch::autograd::grad({ica.energy(x).sum()}, {x})[0];
    EXPECT_TRUE(torch::allclose(ica.energy_and_grad(x.detach()).grad, grad, 0, 1e-12));
  }
}

TEST(LinearIcaTest, MixingMatrixIsWellConditionedAndSeeded) {
  for (int64_t d : {5, 20, 50}) {
    const LinearIca ica = LinearIca::random(d, 7);
    EXPECT_LT(torch::linalg_cond(ica.mixing()).item<double>(), static_cast<double>(d));
  }
  std::unique_ptr<Target> a = make_target("ica:d=10,seed=4"), b = make_target("ica:d=10,seed=4");
  Rng rng(2);
  const torch::Tensor x = rng.normal({3, 10});
  EXPECT_TRUE(torch::equal(a->energy(x), b->energy(x)));
  testing::expect_input_error([] { make_target("ica:d=0"); }, "d", "--target ica:d");
  testing::expect_input_error([] { make_target("ica:sources=gauss"); }, "laplace|logistic",
                              "--target ica:sources");
  testing::expect_input_error([] { make_target("ica:random=both"); }, "mixing|unmixing",
                              "--target ica:random");
  // The unmixing variant draws the same Gaussian matrix and inverts it.
  const LinearIca mixing = LinearIca::random(4, 9),
                  unmixing = LinearIca::random(4, 9, IcaSources::kLaplace, true);
  EXPECT_TRUE(torch::allclose(torch::linalg_inv(unmixing.mixing()), mixing.mixing(), 0, 1e-12));
}

TEST(LinearIcaTest, ExactDrawsHaveTheModelsCovarianceAndLogLikelihood) {
  // Cov x = 2WWᵀ (Laplace variance 2); E[log p(x)] = −D(1 + log 2) − log|det W|.
  const LinearIca ica = LinearIca::random(3, 5);
  Rng rng(3);
  const torch::Tensor x = ica.sample_exact(40000, rng);
  const torch::Tensor cov = x.t().matmul(x) / 40000.0;
  const torch::Tensor expected = 2 * ica.mixing().matmul(ica.mixing().t());
  EXPECT_LT(((cov - expected).abs() / expected.abs().max()).max().item<double>(), 0.05);
  const double log_det = std::get<1>(torch::linalg_slogdet(ica.mixing())).item<double>();
  const torch::Tensor log_p = -ica.energy(x);
  const double se = log_p.std().item<double>() / 200.0;
  EXPECT_NEAR(log_p.mean().item<double>(), -3 * (1 + std::log(2.0)) - log_det, 4 * se);
}

TEST(LinearIcaTest, LogisticSourcesHaveTheirVarianceAndEntropy) {
  // Logistic(0, 1): variance π²/3, entropy 2, so E[log p(x)] = −2D − log|det W|.
  const LinearIca ica = LinearIca::random(3, 5, IcaSources::kLogistic);
  Rng rng(4);
  const torch::Tensor x = ica.sample_exact(40000, rng);
  const torch::Tensor cov = x.t().matmul(x) / 40000.0;
  const torch::Tensor expected = M_PI * M_PI / 3 * ica.mixing().matmul(ica.mixing().t());
  EXPECT_LT(((cov - expected).abs() / expected.abs().max()).max().item<double>(), 0.05);
  const double log_det = std::get<1>(torch::linalg_slogdet(ica.mixing())).item<double>();
  const torch::Tensor log_p = -ica.energy(x);
  const double se = log_p.std().item<double>() / 200.0;
  EXPECT_NEAR(log_p.mean().item<double>(), -6.0 - log_det, 4 * se);
}

}  // namespace
}  // namespace ebmc
