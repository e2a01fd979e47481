// EBM training by the Learned Stein Discrepancy (Algorithm 3): the model's loss is the LSD of
// the current critic, its θ-gradient that of E[∇log q_θᵀf]; training reaches the
// Fisher-divergence minimizer (here the maximum-likelihood mean) without drawing a sample.

#include "ebmc/ebm/lsd_training.h"

#include <gtest/gtest.h>

#include "ebmc/ebm/ebm_trainer.h"
#include "linear_energy.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(LsdTrainingTest, ModelGradientIsThatOfTheCriticsSteinTerm) {
  // log q = −θᵀx − ‖x‖²/(2σ²): ∇θ of mean(∇log qᵀf) = −mean f(x), for the critic as it is
  // after the loss's own critic steps.
  Rng rng(1);
  const torch::Tensor data = rng.normal({200, 3});
  std::shared_ptr<EbmMethod> method = make_ebm_method("lsd:hidden=16,critic_steps=3");
  method->initialize({3, data, 1.0}, 8, rng);
  testing::LinearEnergy model(torch::tensor({0.2, -0.1, 0.4}, torch::kFloat64), 1.3);
  const torch::Tensor x = data.narrow(0, 0, 64);
  const torch::Tensor loss = method->sample_free_loss(model, x, rng);
  loss.backward();
  // The critic after the steps: read it back through a checkpoint of the method.
  torch::serialize::OutputArchive out;
  method->save(out);
  std::ostringstream bytes;
  out.save_to(bytes);
  torch::serialize::InputArchive in;
  std::istringstream read(bytes.str());
  in.load_from(read);
  torch::serialize::InputArchive critic_archive;
  in.read("lsd_critic", critic_archive);
  Rng unused(0);
  Mlp critic(3, 16, 2, 3, Activation::kSilu, unused);
  critic->load(critic_archive);
  torch::NoGradGuard no_grad;
  const torch::Tensor f = critic->forward(x);
  EXPECT_TRUE(torch::allclose(model.theta().grad(), -f.mean(0), 0, 1e-12));
  EXPECT_TRUE(std::isfinite(loss.item<double>()));
}

TEST(LsdTrainingTest, TrainingReachesTheFisherDivergenceMinimizer) {
  // Data N(m, 0.8²I), model N(−θ, I): E‖∇log q − ∇log p‖² is minimal at −θ = m.
  Rng rng(3);
  const torch::Tensor data =
      rng.normal({4000, 2}) * 0.8 + torch::tensor({1.0, -0.5}, torch::kFloat64);
  auto model = std::make_shared<testing::LinearEnergy>(torch::zeros({2}, torch::kFloat64), 1.0);
  EbmTrainerOptions options;
  options.steps(300).batch(256).persistent(256).learning_rate(0.02).checkpoint_every(0);
  EbmTrainer trainer(model, make_ebm_method("lsd:hidden=32,critic_steps=5,critic_lr=0.003"), data,
                     options, 4);
  trainer.train();
  const torch::Tensor fitted_mean = -model->theta().detach();
  EXPECT_LT((fitted_mean - data.mean(0)).abs().max().item<double>(), 0.1) << fitted_mean;
}

TEST(LsdTrainingTest, BadOptionsAreRefused) {
  testing::expect_input_error([] { make_ebm_method("lsd:critic_steps=0"); }, "critic_steps",
                              "--method lsd:critic_steps");
  testing::expect_input_error([] { make_ebm_method("lsd:lambda=0"); }, "lambda",
                              "--method lsd:lambda");
}

}  // namespace
}  // namespace ebmc
