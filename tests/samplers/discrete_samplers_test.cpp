// Discrete samplers: every kernel's exact transition matrix on tiny models leaves the exactly
// normalized target invariant (πP = π to 1e-10); long runs match π in a chi-square test; step
// bookkeeping and option errors.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "ebmc/core/errors.h"
#include "ebmc/core/runner.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/fhmm.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/discrete/potts.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/samplers/discrete_registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// A tiny model and the samplers checked on it.
struct Case {
  std::string label;
  std::shared_ptr<DiscreteTarget> target;
  std::vector<std::string> samplers;
};

std::vector<Case> tiny_cases() {
  Rng rng(21);
  std::vector<Case> cases;
  cases.push_back(
      {"ising 3x3",
       std::make_shared<IsingModel>(periodic_lattice(3, 3, 0.15), 0.3 * rng.normal({9}), "ising"),
       {"gibbs", "gibbs:sweep=1", "gibbs:block=2", "gwg", "gwg:flips=2", "gwg:flips=3", "lb",
        "lb:flips=2", "hb:block=3,radius=1", "hb:block=3,radius=2"}});
  cases.push_back({"rbm 8x4",
                   std::make_shared<Rbm>(Rbm::random(8, 4, rng)),
                   {"gibbs", "gibbs:block=3,sweep=1", "gwg", "gwg:flips=3", "lb",
                    "hb:block=4,radius=2", "rbm_gibbs"}});
  cases.push_back(
      {"potts 2x3 k=3",
       std::make_shared<PottsModel>(periodic_lattice(2, 3, 0.5), 0.5 * rng.normal({6, 3}), "potts"),
       {"gibbs", "gibbs:sweep=1", "gibbs:block=2", "gwg", "lb", "hb:block=2,radius=1",
        "hb:block=3,radius=2"}});
  cases.push_back(
      {"fhmm L=4 K=2",
       std::make_shared<Fhmm>(Fhmm::random(4, 2, rng)),
       {"gibbs", "gibbs:block=2", "gwg", "gwg:flips=2", "lb", "hb:block=2,radius=2,aligned=1"}});
  return cases;
}

class DiscreteSamplersTest : public testing::SeedingFixture {};

TEST_F(DiscreteSamplersTest, EveryKernelLeavesTheExactTargetInvariant) {
  for (const Case& c : tiny_cases()) {
    const torch::Tensor states = all_states(*c.target);
    const torch::Tensor pi = exact_probabilities(*c.target);
    for (const std::string& spec : c.samplers) {
      std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(spec);
      Rng rng(1);
      kernel->init(*c.target, c.target->random_states(2, rng));
      const torch::Tensor p = kernel->transition_matrix(states);
      const std::string label = c.label + " / " + spec;
      EXPECT_LT((p.sum(1) - 1).abs().max().item<double>(), 1e-12) << label << ": rows sum to 1";
      EXPECT_GE(p.min().item<double>(), -1e-15) << label;
      EXPECT_LT((torch::matmul(pi, p) - pi).abs().max().item<double>(), 1e-10)
          << label << ": pi P = pi";
      // The check has teeth only if the kernel moves: P must be far from the identity.
      EXPECT_GT((p - torch::eye(p.size(0), torch::kFloat64)).abs().max().item<double>(), 0.05)
          << label;
    }
  }
}

TEST_F(DiscreteSamplersTest, UncorrectedProposalIsNotStationary) {
  // Control: drop the reverse-proposal term from GWG's ratio (accept with min{1, e^{Δf}} only).
  // Its transition matrix, built the same way, must visibly fail πP = π, so the test above can.
  IsingModel ising(periodic_lattice(3, 3, 0.25), torch::linspace(-0.5, 0.5, 9), "ising");
  const torch::Tensor states = all_states(ising);
  const torch::Tensor pi = exact_probabilities(ising);
  const torch::Tensor f = ising.log_prob(states);
  const torch::Tensor log_q = torch::log_softmax(0.5 * ising.local_differences(states), 1);
  torch::Tensor p = torch::zeros({512, 512}, torch::kFloat64);
  for (int64_t m = 0; m < 9; ++m) {
    const torch::Tensor to =
        state_indices(ising, apply_moves(ising, states, torch::full({512}, m, torch::kInt64)));
    const torch::Tensor accept = torch::exp(torch::clamp_max(f.index_select(0, to) - f, 0.0));
    const torch::Tensor q = log_q.select(1, m).exp();
    accumulate_transitions(p, torch::arange(512, torch::kInt64), to.unsqueeze(1),
                           (q * accept).unsqueeze(1));
    p += torch::diag(q * (1 - accept));
  }
  EXPECT_GT((torch::matmul(pi, p) - pi).abs().max().item<double>(), 1e-4);
}

TEST_F(DiscreteSamplersTest, StepsReportFlipsAndEvaluations) {
  IsingModel ising = IsingModel::lattice(4, 4, 0.1);
  Rng rng(2);
  const torch::Tensor x0 = ising.random_states(8, rng);
  for (const char* spec : {"gibbs", "gibbs:block=2", "gwg", "gwg:flips=3", "lb", "hb:block=4"}) {
    std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(spec);
    State state = kernel->init(ising, x0);
    const torch::Tensor before = state.x.clone();
    Info info = kernel->step(state, rng);
    // flips__ is each chain's number of changed sites.
    EXPECT_TRUE(torch::equal(info.stat("flips__").to(torch::kFloat64),
                             hamming_distance(ising, before, state.x).to(torch::kFloat64)))
        << spec;
    EXPECT_GT(info.energy_evals, 0) << spec;
    EXPECT_TRUE(torch::allclose(state.energy, -ising.log_prob(state.x), 1e-12, 1e-12)) << spec;
    ising.check_states(state.x);
  }
}

TEST_F(DiscreteSamplersTest, EveryKernelCarriesTheEnergyOfAFreshEvaluation) {
  // Every kernel on every tiny model, plus the fused paths on a 10x10 lattice at θ = 0.3 (whose
  // incremental energies used to drift off the 16 levels): after every step, the energy the state
  // carries (and a run records) is −f of the state, bit for bit.
  std::vector<Case> cases = tiny_cases();
  cases.push_back({"ising 10x10",
                   std::make_shared<IsingModel>(IsingModel::lattice(10, 10, 0.3)),
                   {"gibbs", "gwg", "gwg:flips=3", "hb:block=10,radius=1", "lb"}});
  for (const Case& c : cases) {
    for (const std::string& spec : c.samplers) {
      SCOPED_TRACE(c.label + " / " + spec);
      std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(spec);
      Rng rng(31, ChainStreams{0, 6});
      State state = kernel->init(*c.target, c.target->random_states(6, rng));
      std::set<double> seen;
      for (int64_t t = 0; t < 150; ++t) {
        rng.next_transition();
        kernel->step(state, rng);
        ASSERT_TRUE(torch::equal(state.energy, -c.target->log_prob(state.x))) << "step " << t;
        for (int64_t k = 0; k < 6; ++k) seen.insert(state.energy[k].item<double>());
      }
      if (c.label == "ising 10x10") {
        // Every energy is a level 2θm (m an integer), rounded once.
        for (double u : seen) EXPECT_EQ(-u, std::nearbyint(-u / 0.6) * 2.0 * 0.3) << u;
      }
    }
  }
}

TEST_F(DiscreteSamplersTest, InvalidOptionsAndTargetsAreRejected) {
  for (const char* spec : {"gibbs:block=0", "gwg:flips=0", "hb:radius=0", "hb:block=2,radius=3",
                           "gibbs:sweep=2", "gwg:step=1", "nuts"}) {
    EXPECT_THROW(make_discrete_sampler(spec), InputError) << spec;
  }
  PottsModel potts = PottsModel::lattice(2, 3, 3, 0.1);
  IsingModel ising = IsingModel::lattice(3, 3, 0.1);
  Rng rng(3);
  EXPECT_THROW(make_discrete_sampler("gwg:flips=2")->init(potts, potts.random_states(2, rng)),
               InputError);
  EXPECT_THROW(make_discrete_sampler("rbm_gibbs")->init(ising, ising.random_states(2, rng)),
               InputError);
  EXPECT_THROW(
      make_discrete_sampler("hb:block=2,aligned=1")->init(ising, ising.random_states(2, rng)),
      InputError);
  EXPECT_THROW(make_discrete_sampler("gwg")->init(ising, torch::full({2, 9}, 0.5)), InputError);
}

/// One model per test, so that CTest runs them in parallel.
class DiscreteSamplersStatistical : public testing::SeedingFixture,
                                    public ::testing::WithParamInterface<size_t> {};

/// Upper 1 − Φ(z) quantile of the chi-square distribution with `dof` degrees of freedom
/// (Wilson–Hilferty).
double chi_square_critical(double dof, double z) {
  const double a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3);
}

TEST_P(DiscreteSamplersStatistical, LongRunHistogramsMatchTheExactDistribution) {
  const int64_t chains = 4000;
  {
    const Case c = tiny_cases()[GetParam()];
    const torch::Tensor pi = exact_probabilities(*c.target);
    const torch::Tensor states = all_states(*c.target);
    for (const std::string& spec : c.samplers) {
      // GWG-2 keeps the parity of the number of ones (see gwg.h): stationary, not ergodic.
      if (spec.find("flips=2") != std::string::npos) continue;
      const std::string label = c.label + " / " + spec;
      std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(spec);
      Rng rng(31);
      State state = kernel->init(*c.target, c.target->random_states(chains, rng));
      // Run long enough that the exact distribution after t steps from the uniform start is
      // within 1e-3 of π in total variation (far below what 4000 draws can resolve); then the
      // final states of independent chains are i.i.d. draws from (almost exactly) π.
      const torch::Tensor p = kernel->transition_matrix(states);
      torch::Tensor mu = torch::full_like(pi, 1.0 / static_cast<double>(pi.size(0)));
      int64_t steps = 0;
      while (0.5 * (mu - pi).abs().sum().item<double>() > 1e-3 && steps < 5000) {
        mu = torch::matmul(mu, p);
        ++steps;
      }
      ASSERT_LT(steps, 5000) << label << " does not mix";
      for (int64_t t = 0; t < steps * kernel->steps_per_transition_matrix(); ++t) {
        kernel->step(state, rng);
      }
      const torch::Tensor counts =
          torch::bincount(state_indices(*c.target, state.x), {}, pi.size(0)).to(torch::kFloat64);
      // Pool states with expected count below 5 into one bin.
      const torch::Tensor expected = chains * pi;
      const torch::Tensor big = expected >= 5;
      const torch::Tensor o =
          torch::cat({counts.masked_select(big), counts.masked_select(~big).sum().unsqueeze(0)});
      const torch::Tensor e = torch::cat(
          {expected.masked_select(big), expected.masked_select(~big).sum().unsqueeze(0)});
      const torch::Tensor keep = e > 0;
      const double statistic = ((o - e).pow(2) / e).masked_select(keep).sum().item<double>();
      const double dof = static_cast<double>(keep.sum().item<int64_t>() - 1);
      std::printf("  %-40s %4lld steps, chi-square %7.1f on %3.0f dof\n", label.c_str(),
                  static_cast<long long>(steps), statistic, dof);
      EXPECT_LT(statistic, chi_square_critical(dof, 4.0))
          << label << ": chi-square " << statistic << " on " << dof << " dof after " << steps
          << " steps";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(TinyModels, DiscreteSamplersStatistical, ::testing::Range<size_t>(0, 4));

}  // namespace
}  // namespace ebmc
