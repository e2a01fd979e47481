// Annealed importance sampling: on models small enough to enumerate, the estimate of log Z is
// within 4 standard errors of the exact value and the error shrinks with more temperatures; for
// an RBM the exact value also comes from summing out the hidden units instead of the visible.

#include "ebmc/diagnostics/ais.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ebmc/core/errors.h"

#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/discrete/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

double exact_log_z(const DiscreteTarget& target) {
  return torch::logsumexp(target.log_prob(all_states(target)), 0).item<double>();
}

AisResult run_ais(const DiscreteTarget& target, const FactorizedBase& base, int64_t steps,
                  const std::string& sampler = "gwg") {
  AisOptions options;
  options.steps = steps;
  options.chains = 200;
  options.sampler = sampler;
  Rng rng(7);
  return annealed_importance_sampling(target, base, options, rng);
}

TEST(AisStatistical, EstimatesTheExactLogPartitionOfSmallModels) {
  for (const std::string spec :
       {"ising:n=3,theta=0.3", "potts:n=2,k=3,theta=0.5", "rbm:visible=10,hidden=4,seed=2"}) {
    SCOPED_TRACE(spec);
    std::unique_ptr<DiscreteTarget> target = make_discrete_target(spec);
    const double exact = exact_log_z(*target);
    const FactorizedBase base = uniform_base(*target);
    const AisResult coarse = run_ais(*target, base, 5), fine = run_ais(*target, base, 300);
    EXPECT_NEAR(fine.log_z, exact, 4 * fine.log_z_stderr + 1e-3) << fine.to_json().dump();
    EXPECT_LT(fine.log_z_stderr, coarse.log_z_stderr);
    EXPECT_GT(fine.weights_ess, coarse.weights_ess);
    EXPECT_LE(fine.weights_ess, 200.0);
  }
}

TEST(AisStatistical, RbmLogPartitionBySummingOutTheHiddenUnits) {
  // log Z = log Σ_h exp(cᵀh) Π_i (1 + exp((Wᵀh + b)_i)) over the 2^H hidden states.
  Rng rng(3);
  const Rbm rbm = Rbm::random(16, 5, rng);
  torch::Tensor h = torch::zeros({32, 5}, torch::kFloat64);
  for (int64_t s = 0; s < 32; ++s) {
    for (int64_t j = 0; j < 5; ++j) h[s][j] = static_cast<double>((s >> j) & 1);
  }
  const torch::Tensor per_hidden =
      h.matmul(rbm.hidden_bias()) +
      torch::nn::functional::softplus(h.matmul(rbm.weights()) + rbm.visible_bias()).sum(1);
  const double by_hidden = torch::logsumexp(per_hidden, 0).item<double>();
  EXPECT_NEAR(by_hidden, exact_log_z(rbm), 1e-9);
  // A base fitted to (approximate) samples of the RBM, and Gibbs transitions.
  const AisResult pilot = run_ais(rbm, uniform_base(rbm), 50);
  const AisResult fitted = run_ais(rbm, fitted_base(rbm, pilot.states), 300, "gibbs");
  EXPECT_NEAR(fitted.log_z, by_hidden, 4 * fitted.log_z_stderr + 1e-3) << fitted.to_json().dump();
}

/// Three binary sites, f = 0 except f = −∞ where the first site is 1 (a hard constraint).
class FirstSiteForbidden : public DiscreteTarget {
 public:
  std::string name() const override { return "forbidden"; }
  int64_t num_sites() const override { return 3; }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override {
    return torch::where(x.select(1, 0) > 0.5, torch::full({x.size(0)}, -INFINITY, x.options()),
                        torch::zeros({x.size(0)}, x.options()));
  }
};

TEST(AisTest, NoEstimateFromNonFiniteWeights) {
  const FirstSiteForbidden target;
  const FactorizedBase base = uniform_base(target);
  AisOptions options;
  options.steps = 1;  // the weights straight from the base's draws
  options.chains = 50;
  Rng rng(3);
  try {
    annealed_importance_sampling(target, base, options, rng);
    FAIL() << "an estimate from -inf weights";
  } catch (const RunFailed& e) {
    EXPECT_NE(std::string(e.what()).find("chains are not finite (first: chain"), std::string::npos)
        << e.what();
  }
}

TEST(AisTest, BaseAndScheduleAreWhatTheySay) {
  std::unique_ptr<DiscreteTarget> potts = make_discrete_target("potts:n=2,k=3");
  // A fitted base from one-hot states: smoothed frequencies, rows summing to 1.
  Rng rng(1);
  const torch::Tensor x = potts->random_states(500, rng);
  const FactorizedBase base = fitted_base(*potts, x, 1.0);
  EXPECT_TRUE(torch::allclose(base.log_probs.exp().sum(1), torch::ones({4}, torch::kFloat64)));
  EXPECT_NEAR(base.log_probs[0][0].exp().item<double>(),
              (x.select(1, 0).select(1, 0).sum().item<double>() + 1) / 503.0, 1e-12);
  // Its draws have those frequencies, and log_prob is their log-probability.
  const torch::Tensor draws = base.sample(20000, true, rng);
  EXPECT_TRUE(torch::allclose(draws.mean(0), base.log_probs.exp(), 0, 0.02));
  EXPECT_NEAR(base.log_prob(draws.narrow(0, 0, 1), true).item<double>(),
              (draws[0] * base.log_probs).sum().item<double>(), 1e-12);
  for (BetaSchedule schedule : {BetaSchedule::kLinear, BetaSchedule::kSigmoid}) {
    const std::vector<double> beta = beta_schedule(schedule, 10);
    ASSERT_EQ(beta.size(), 11u);
    EXPECT_EQ(beta.front(), 0.0);
    EXPECT_EQ(beta.back(), 1.0);
    for (size_t t = 1; t < beta.size(); ++t) EXPECT_GT(beta[t], beta[t - 1]);
  }
  testing::expect_input_error([] { parse_beta_schedule("cosine", "--schedule"); }, "linear|sigmoid",
                              "--schedule");
  AisOptions one_chain;
  one_chain.chains = 1;
  testing::expect_input_error([&] { annealed_importance_sampling(*potts, base, one_chain, rng); },
                              "2 chains", "--chains");
}

}  // namespace
}  // namespace ebmc
