// Noise-contrastive estimation: the loss against a hand computation with the same noise draws,
// and training that recovers both the maximum-likelihood mean and the log-normalizer.

#include "ebmc/ebm/nce.h"

#include <gtest/gtest.h>

#include "ebmc/ebm/ebm_trainer.h"
#include "linear_energy.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(NceTest, LossIsTheLogisticLossAgainstTheFittedGaussian) {
  Rng rng(1);
  const torch::Tensor data =
      rng.normal({300, 2}).matmul(torch::tensor({{1.0, 0.3}, {0.0, 0.7}}, torch::kFloat64)) + 0.5;
  std::shared_ptr<EbmMethod> method = make_ebm_method("nce:noise_ratio=2");
  method->initialize({2, data, 1.0}, 8, rng);
  testing::LinearEnergy model(torch::tensor({0.3, -0.2}, torch::kFloat64), 1.2);
  const torch::Tensor positives = data.narrow(0, 0, 50);
  Rng draws(7);
  const double loss = method->sample_free_loss(model, positives, draws).item<double>();

  // By hand: the noise N(x̄, S) with S the sample covariance (+1e-6 I), log p_n by S⁻¹ and
  // det S, the same 100 standard-normal draws mapped by the Cholesky factor.
  const torch::Tensor mean = data.mean(0), centred = data - mean;
  const torch::Tensor cov =
      centred.t().matmul(centred) / 299.0 + 1e-6 * torch::eye(2, torch::kFloat64);
  Rng same(7);
  const torch::Tensor noise = mean + same.normal({100, 2}).matmul(torch::linalg_cholesky(cov).t());
  const auto log_noise = [&](const torch::Tensor& u) {
    const torch::Tensor d = u - mean;
    return -0.5 * (d.matmul(torch::inverse(cov)) * d).sum(1) - std::log(2 * M_PI) -
           0.5 * std::log(torch::det(cov).item<double>());
  };
  const auto logit = [&](const torch::Tensor& u) {
    const torch::Tensor log_q =
        -(u * model.theta()).sum(1) - 0.5 * u.pow(2).sum(1) / 1.44 - std::log(2 * M_PI * 1.44);
    return log_q - log_noise(u) - std::log(2.0);
  };
  const double expected =
      -(torch::log_sigmoid(logit(positives)).mean() + 2 * torch::log_sigmoid(-logit(noise)).mean())
           .item<double>();
  EXPECT_NEAR(loss, expected, 1e-10);
}

TEST(NceTest, TrainingRecoversTheMeanAndTheLogNormalizer) {
  Rng rng(3);
  const torch::Tensor data = rng.normal({4000, 2}) + torch::tensor({1.0, -0.5}, torch::kFloat64);
  auto model = std::make_shared<testing::LinearEnergy>(torch::zeros({2}, torch::kFloat64), 1.0);
  auto method = std::dynamic_pointer_cast<Nce>(make_ebm_method("nce"));
  ASSERT_TRUE(method);
  EbmTrainerOptions options;
  options.steps(800).batch(256).persistent(256).learning_rate(0.03).checkpoint_every(0);
  EbmTrainer trainer(model, method, data, options, 4);
  trainer.train();
  // The model N(−θ, I) is the data's family: NCE is consistent, the mean → the data's and
  // c → log ∫exp(−θx)N(x; 0, I)dx = ‖θ‖²/2 (the learned normalizer of the tilted model).
  const torch::Tensor theta = model->theta().detach();
  EXPECT_LT((-theta - data.mean(0)).abs().max().item<double>(), 0.1) << theta;
  EXPECT_NEAR(method->log_normalizer(), 0.5 * theta.pow(2).sum().item<double>(), 0.1);
}

TEST(NceTest, BadOptionsAreRefused) {
  testing::expect_input_error([] { make_ebm_method("nce:noise_ratio=0"); }, "noise_ratio",
                              "--method nce:noise_ratio");
}

}  // namespace
}  // namespace ebmc
