// The learned RBM: the same distribution as `Rbm`, biases at the data's log-odds, and PCD that
// reaches the generating RBM's exact log-likelihood on its samples.

#include "ebmc/ebm/learned_rbm.h"

#include <gtest/gtest.h>

#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/ebm/discrete_pcd.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Mean exact log-likelihood of `x` under `target` (by enumeration).
double exact_log_likelihood(const DiscreteTarget& target, const torch::Tensor& x) {
  const double log_z = torch::logsumexp(target.log_prob(all_states(target)), 0).item<double>();
  return target.log_prob(x).mean().item<double>() - log_z;
}

TEST(LearnedRbmTest, IsAnRbmWithBiasesAtTheDataLogOdds) {
  Rng rng(1);
  LearnedRbm model(6, LearnedRbmOptions().hidden(3).init_sd(0.5), rng);
  const torch::Tensor x = (rng.uniform({50, 6}) < 0.3).to(torch::kFloat64);
  model.initialize_from_data(x);
  const torch::Tensor expected = torch::logit(x.mean(0).clamp(1e-3, 1 - 1e-3));
  EXPECT_TRUE(torch::allclose(model.parameters()[1], expected, 0, 1e-12));
  const std::unique_ptr<DiscreteTarget> snapshot = model.snapshot();
  ASSERT_NE(dynamic_cast<const Rbm*>(snapshot.get()), nullptr);  // rbm_gibbs can sample it
  EXPECT_TRUE(torch::allclose(snapshot->log_prob(x), model.log_prob(x).detach(), 0, 1e-12));
  testing::expect_input_error([] { LearnedRbmOptions().hidden(0).validate(); }, ">= 1",
                              "rbm:hidden");
}

TEST(LearnedRbmStatistical, PcdReachesTheGeneratingModelsLikelihood) {
  // A 10 × 3 RBM with strong weights; 4000 exact draws; an RBM with 4 hidden units by PCD/GWG.
  Rng rng(2);
  const Rbm truth(rng.normal({3, 10}) * 1.5, rng.normal({10}) * 0.5, rng.normal({3}));
  const torch::Tensor data = all_states(truth).index_select(
      0, torch::multinomial(exact_probabilities(truth), 4000, true, rng.generator()));
  Rng init(3);
  auto model = std::make_shared<LearnedRbm>(10, LearnedRbmOptions().hidden(4), init);
  model->initialize_from_data(data);
  const double start = exact_log_likelihood(*model->snapshot(), data);
  DiscretePcdOptions options;
  options.steps = 1500;
  options.batch = 200;
  options.sampler_steps = 10;
  options.learning_rate = 0.02;
  DiscretePcdTrainer trainer(model, data, options, 4);
  trainer.train();
  const double learned = exact_log_likelihood(*model->snapshot(), data);
  const double best = exact_log_likelihood(truth, data);
  std::printf("log-likelihood: start %.3f, learned %.3f, generating RBM %.3f\n", start, learned,
              best);
  EXPECT_GT(learned - start, 0.5 * (best - start));
  EXPECT_GT(learned, best - 0.1);
}

}  // namespace
}  // namespace ebmc
