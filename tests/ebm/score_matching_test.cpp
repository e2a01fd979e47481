// Sliced score matching: its gradient for an exponential family in closed form, and training
// through EbmTrainer reaching the maximum-likelihood estimate without drawing a sample.

#include "ebmc/ebm/score_matching.h"

#include <gtest/gtest.h>

#include "ebmc/ebm/ebm_trainer.h"
#include "linear_energy.h"

namespace ebmc {
namespace {

TEST(ScoreMatchingTest, GradientOfAnExponentialFamilyIsClosedForm) {
  // log q = −θᵀx − ‖x‖²/(2σ²): J = mean ½‖θ + x/σ²‖² − mean ‖ε‖²/σ², ∇θ J = θ + x̄/σ².
  Rng rng(1);
  const torch::Tensor x = rng.normal({500, 3}) + 0.4;
  const double sigma = 1.5;
  const torch::Tensor theta = torch::tensor({0.2, -0.1, 0.3}, torch::kFloat64);
  testing::LinearEnergy model(theta, sigma);
  Rng eps_rng(2);
  const torch::Tensor loss = sliced_score_matching_loss(model, x, eps_rng);
  loss.backward();
  const torch::Tensor expected = theta + x.mean(0) / (sigma * sigma);
  EXPECT_TRUE(torch::allclose(model.theta().grad(), expected, 0, 1e-12));
  // The value with the same projections.
  Rng same(2);
  const torch::Tensor eps = same.normal({500, 3});
  const double value =
      (0.5 * (theta + x / (sigma * sigma)).pow(2).sum(1) - eps.pow(2).sum(1) / (sigma * sigma))
          .mean()
          .item<double>();
  EXPECT_NEAR(loss.item<double>(), value, 1e-12);
}

TEST(ScoreMatchingTest, TrainingReachesTheMaximumLikelihoodEstimate) {
  Rng rng(3);
  const torch::Tensor data =
      rng.normal({4000, 2}) * 0.8 + torch::tensor({1.0, -0.5}, torch::kFloat64);
  const double sigma = 1.0;
  auto model = std::make_shared<testing::LinearEnergy>(torch::zeros({2}, torch::kFloat64), sigma);
  EbmTrainerOptions options;
  options.steps(400).batch(256).persistent(256).learning_rate(0.05).checkpoint_every(0);
  EbmTrainer trainer(model, make_ebm_method("ssm"), data, options, 4);
  trainer.train();
  // The model is N(−σ²θ, σ²I); its mean matches the data's (MLE of the mean) up to minibatch
  // noise: Adam's last steps move θ by ~lr·(noise of a 256-row mean ≈ 0.05).
  const torch::Tensor fitted_mean = -sigma * sigma * model->theta().detach();
  EXPECT_LT((fitted_mean - data.mean(0)).abs().max().item<double>(), 0.1) << fitted_mean;
}

}  // namespace
}  // namespace ebmc
