// The learned Potts model: its couplings, pseudo-likelihood and block-ℓ1 by brute force, and
// recovery of a planted contact graph by PCD (Gibbs and GWG) and by pseudo-likelihood.

#include "ebmc/ebm/learned_potts.h"

#include <gtest/gtest.h>

#include "ebmc/discrete/dense_potts.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/ebm/discrete_ebm_run.h"
#include "ebmc/ebm/discrete_pcd.h"
#include "ebmc/ebm/pseudo_likelihood.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// A LearnedPotts with random parameters.
std::shared_ptr<LearnedPotts> random_potts(int64_t sites, int64_t values, uint64_t seed) {
  auto model = std::make_shared<LearnedPotts>(sites, values);
  Rng rng(seed);
  torch::NoGradGuard no_grad;
  for (torch::Tensor& p : model->parameters()) p.copy_(rng.normal(p.sizes().vec()));
  return model;
}

TEST(LearnedPottsTest, CouplingsConditionalsAndPenaltyAreTheModelsOwn) {
  auto model = random_potts(4, 3, 1);
  const torch::Tensor j = model->couplings().detach();
  // J_ij = J_jiᵀ, J_ii = 0.
  EXPECT_TRUE(torch::allclose(j, j.permute({2, 3, 0, 1}), 0, 0));
  EXPECT_EQ(torch::diagonal(j, 0, 0, 2).abs().max().item<double>(), 0.0);
  const std::unique_ptr<DiscreteTarget> snapshot = model->snapshot();
  const torch::Tensor states = all_states(*snapshot);
  const torch::Tensor f = model->log_prob(states).detach();
  EXPECT_TRUE(torch::allclose(snapshot->log_prob(states), f, 0, 1e-12));
  // log p(x_i | x_-i) from f at every value of site i.
  const torch::Tensor x = states.narrow(0, 7, 5);
  torch::Tensor expected = torch::zeros({5}, torch::kFloat64);
  for (int64_t i = 0; i < 4; ++i) {
    std::vector<torch::Tensor> at_value;
    for (int64_t k = 0; k < 3; ++k) {
      torch::Tensor y = x.clone();
      y.select(1, i).zero_();
      y.select(1, i).select(1, k).fill_(1);
      at_value.push_back(model->log_prob(y).detach());
    }
    expected += model->log_prob(x).detach() - torch::logsumexp(torch::stack(at_value, 1), 1);
  }
  EXPECT_TRUE(torch::allclose(model->pseudo_log_likelihood(x).detach(), expected, 0, 1e-10));
  // Eq. 34 over the pairs i < j.
  double block_l1 = 0;
  for (int64_t a = 0; a < 4; ++a) {
    for (int64_t b = a + 1; b < 4; ++b) {
      block_l1 += j.select(0, a).select(1, b).pow(2).sum().sqrt().item<double>();
    }
  }
  EXPECT_NEAR(model->penalty().item<double>(), block_l1, 1e-9);
  // Its gradient at J = 0 is 0 (a subgradient), not NaN.
  LearnedPotts zero(3, 2);
  zero.penalty().backward();
  EXPECT_EQ(zero.parameters()[0].grad().abs().max().item<double>(), 0.0);
}

TEST(LearnedPottsStatistical, PcdAndPseudoLikelihoodRecoverAPlantedContactGraph) {
  // 7 sites, K = 3, a random contact graph; 3000 exact draws by enumeration (2187 states).
  const DensePottsModel truth =
      planted_potts(PottsPlantedOptions().n(7).k(3).degree(2).scale(1.0).field(0.3).seed(3));
  const torch::Tensor strengths = potts_interaction_strengths(truth.couplings());
  const int64_t contacts = torch::triu(strengths != 0, 1).sum().item<int64_t>();
  ASSERT_GE(contacts, 4);
  const torch::Tensor states = all_states(truth);
  Rng rng(4);
  const torch::Tensor data = states.index_select(
      0, torch::multinomial(exact_probabilities(truth), 3000, true, rng.generator()));
  for (const std::string sampler : {"gibbs", "gwg", "plm"}) {
    SCOPED_TRACE(sampler);
    auto model = std::make_shared<LearnedPotts>(7, 3);
    if (sampler == "plm") {
      PseudoLikelihoodOptions options;
      options.steps = 500;
      options.learning_rate = 0.05;
      options.l1 = 0.003;
      Rng plm_rng(5);
      fit_pseudo_likelihood(*model, data, options, plm_rng);
    } else {
      DiscretePcdOptions options;
      options.steps = 600;
      options.batch = 256;
      options.sampler_steps = 10;
      options.sampler = sampler;
      options.learning_rate = 0.03;
      options.l1 = 0.003;
      DiscretePcdTrainer trainer(model, data, options, 6);
      trainer.train();
    }
    const torch::Tensor learned = model->interaction_strengths().detach();
    const double rmse = couplings_rmse(learned, strengths);
    std::printf("%s: strengths RMSE %.4f, precision at %lld contacts %.2f\n", sampler.c_str(), rmse,
                static_cast<long long>(contacts), contact_precision(learned, strengths, contacts));
    EXPECT_EQ(contact_precision(learned, strengths, contacts), 1.0);
    EXPECT_LT(rmse, 0.2);
  }
}

}  // namespace
}  // namespace ebmc
