// The deep discrete EBM: it starts as its Bernoulli base, its sampling target follows the
// training, and PCD with GWG moves it toward data that a product of Bernoullis cannot fit.

#include "ebmc/ebm/deep_discrete_ebm.h"

#include <gtest/gtest.h>

#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/ebm/discrete_pcd.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(DeepDiscreteEbmTest, StartsAsTheBernoulliBaseAndItsTargetSharesTheWeights) {
  Rng rng(1);
  auto model =
      std::make_shared<DeepDiscreteEbm>(5, DeepDiscreteEbmOptions().width(8).depth(2), rng);
  const torch::Tensor x = (rng.uniform({40, 5}) < 0.7).to(torch::kFloat64);
  model->initialize_from_data(x);
  const torch::Tensor logits = torch::logit(x.mean(0).clamp(1e-3, 1 - 1e-3));
  EXPECT_TRUE(torch::allclose(model->log_prob(x).detach(), x.matmul(logits), 0, 1e-12));
  const std::unique_ptr<DiscreteTarget> target = model->snapshot();
  {
    torch::NoGradGuard no_grad;
    for (torch::Tensor& p : model->parameters()) p.add_(0.1);
  }
  EXPECT_TRUE(torch::allclose(target->log_prob(x), model->log_prob(x).detach(), 0, 1e-12));
  EXPECT_FALSE(torch::allclose(target->log_prob(x), x.matmul(logits), 0, 1e-6));
  testing::expect_input_error([] { DeepDiscreteEbmOptions().depth(0).validate(); }, ">= 1",
                              "deep:depth");
}

TEST(DeepDiscreteEbmStatistical, PcdLearnsCorrelationsTheBaseCannotHold) {
  // Data from a strongly coupled 2 × 4 Ising lattice: the Bernoulli base (the model's start)
  // is far from it; PCD with GWG closes most of the KL gap (exact, by enumeration).
  const IsingModel truth = IsingModel::lattice(2, 4, 0.35);
  const torch::Tensor states = all_states(truth);
  const torch::Tensor p = exact_probabilities(truth);
  Rng rng(2);
  const torch::Tensor data =
      states.index_select(0, torch::multinomial(p, 4000, true, rng.generator()));
  auto model =
      std::make_shared<DeepDiscreteEbm>(8, DeepDiscreteEbmOptions().width(32).depth(2), rng);
  model->initialize_from_data(data);
  auto kl = [&] {
    torch::NoGradGuard no_grad;
    const torch::Tensor log_q = torch::log_softmax(model->log_prob(states), 0);
    return (p * (p.log() - log_q)).sum().item<double>();
  };
  const double start = kl();
  DiscretePcdOptions options;
  options.steps = 800;
  options.batch = 128;
  options.sampler_steps = 10;
  options.learning_rate = 3e-3;
  options.ema = 0.9;
  DiscretePcdTrainer trainer(model, data, options, 3);
  trainer.train();
  trainer.use_ema_weights();
  const double end = kl();
  std::printf("KL(truth || model): base %.4f, trained %.4f\n", start, end);
  EXPECT_LT(end, 0.25 * start);
}

}  // namespace
}  // namespace ebmc
