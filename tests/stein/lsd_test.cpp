// The Learned Stein Discrepancy: Stein values with the exact and Hutchinson traces, the critic
// reaching eq. 9's optimum on Gaussians, and the goodness-of-fit test on a perturbed RBM.

#include "ebmc/stein/lsd.h"

#include <gtest/gtest.h>

#include "ebmc/targets/gauss_bernoulli_rbm.h"
#include "ebmc/targets/registry.h"

namespace ebmc {
namespace {

TEST(LsdTest, SteinValuesUseTheJacobianTrace) {
  // f(x) = Ax + sin(x): tr ∇f = tr A + Σ cos xᵢ.
  Rng rng(1);
  const torch::Tensor A = rng.normal({4, 4});
  const torch::Tensor x = rng.normal({3, 4}).requires_grad_(true);
  const torch::Tensor f = x.matmul(A.t()) + torch::sin(x);
  const torch::Tensor score = rng.normal({3, 4});
  const torch::Tensor expected = (score * f).sum(1) + A.trace() + torch::cos(x.detach()).sum(1);
  const torch::Tensor exact = stein_values(x, f, score, true, rng, false);
  EXPECT_TRUE(torch::allclose(exact.detach(), expected.detach(), 0, 1e-12));
  // Hutchinson: unbiased; the mean of 4000 estimates is within 4 SE of the exact value.
  torch::Tensor sum = torch::zeros({3}, torch::kFloat64), sq = torch::zeros({3}, torch::kFloat64);
  for (int k = 0; k < 4000; ++k) {
    const torch::Tensor e = stein_values(x, f, score, false, rng, false).detach();
    sum += e;
    sq += e * e;
  }
  const torch::Tensor mean = sum / 4000, se = torch::sqrt((sq / 4000 - mean * mean) / 4000);
  EXPECT_LT(((mean - expected.detach()).abs() / se).max().item<double>(), 4.0);
}

TEST(LsdStatistical, CriticReachesTheOptimumOfEquationNineOnGaussians) {
  // Data N(0, I₅), model N(0.5·1, I₅): f* = (∇log q − ∇log p)/(2λ) is the constant 0.5·1/(2λ)
  // and LSD(f*) = ‖0.5·1‖²/(2λ) = 1.25 for λ = 0.5.
  std::unique_ptr<Target> model = make_target("gaussian:d=5,mean=0.5");
  std::unique_ptr<Target> truth = make_target("gaussian:d=5");
  Rng rng(2);
  const torch::Tensor x = rng.normal({2000, 5});
  LsdOptions options;
  options.steps = 300;
  options.hidden = 64;
  options.learning_rate = 3e-3;
  const SteinTestResult r = lsd_test(*model, x, options, rng);
  const double stderr_ = r.extra.at("stderr").get<double>();
  EXPECT_NEAR(optimal_lsd(*model, *truth, x, 0.5).first, 1.25, 1e-12);
  EXPECT_NEAR(r.statistic, 1.25, 0.1 + 3 * stderr_) << r.to_json().dump();
  EXPECT_LT(r.p_value, 1e-6);
  // A model equal to the data's density: LSD near 0 and no rejection.
  const SteinTestResult same = lsd_test(*truth, x, options, rng);
  EXPECT_LT(std::abs(same.statistic), 4 * same.extra.at("stderr").get<double>() + 0.02)
      << same.to_json().dump();
}

TEST(LsdStatistical, PowerCriticRejectsAPerturbedRbm) {
  const GaussBernoulliRbm truth = GaussBernoulliRbm::random(10, 5, 3, 0.0);
  const GaussBernoulliRbm perturbed = GaussBernoulliRbm::random(10, 5, 3, 0.3);
  Rng rng(5);
  const torch::Tensor x = truth.sample_exact(1000, rng);
  LsdOptions options;
  options.objective = LsdObjective::kPower;
  options.steps = 300;
  options.hidden = 64;
  EXPECT_LT(lsd_test(perturbed, x, options, rng).p_value, 0.01);
  EXPECT_GT(lsd_test(truth, x, options, rng).p_value, 0.05);
}

}  // namespace
}  // namespace ebmc
