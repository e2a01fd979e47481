// Pseudo-likelihood for Ising models: the conditionals against the model's own log-probability
// of flipped states, and structure learning of a small lattice (the PLM baseline).

#include "ebmc/ebm/pseudo_likelihood.h"

#include <gtest/gtest.h>

#include "ebmc/discrete/enumeration.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(PseudoLikelihoodTest, ConditionalsAreTheModelsOwn) {
  LearnedIsing model(4);
  Rng rng(1);
  {
    torch::NoGradGuard no_grad;
    model.parameters()[0].copy_(rng.normal({4, 4}));
    model.parameters()[1].copy_(rng.normal({4}));
  }
  const torch::Tensor x = (rng.uniform({6, 4}) < 0.5).to(torch::kFloat64);
  // log p(xᵢ | x₋ᵢ) = f(x) − logsumexp(f(x), f(x with site i flipped)).
  torch::NoGradGuard no_grad;
  torch::Tensor expected = torch::zeros({6}, torch::kFloat64);
  for (int64_t i = 0; i < 4; ++i) {
    torch::Tensor flipped = x.clone();
    flipped.select(1, i).copy_(1 - x.select(1, i));
    const torch::Tensor f = model.log_prob(x), g = model.log_prob(flipped);
    expected += f - torch::logaddexp(f, g);
  }
  EXPECT_NEAR(pseudo_likelihood_loss(model, x, 0.0).item<double>(), -expected.mean().item<double>(),
              1e-12);
}

TEST(PseudoLikelihoodTest, RecoversTheCouplingsOfASmallLattice) {
  const IsingModel truth = IsingModel::lattice(3, 3, 0.2);
  Rng rng(2);
  const torch::Tensor data = all_states(truth).index_select(
      0, torch::multinomial(exact_probabilities(truth), 4000, true, rng.generator()));
  LearnedIsing model(9);
  PseudoLikelihoodOptions options;
  options.steps = 300;
  options.l1 = 0.0;
  fit_pseudo_likelihood(model, data, options, rng);
  EXPECT_LT(couplings_rmse(model.couplings(), truth.couplings().dense()), 0.03);
  testing::expect_input_error(
      [&] {
        fit_pseudo_likelihood(model, torch::full({2, 9}, 0.5), options, rng);
      },
      "binary", "--data");
}

}  // namespace
}  // namespace ebmc
