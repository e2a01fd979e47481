// MALA, HMC and NUTS (with Stan's warmup) and ULA: moments on the standard normal, the
// ill-conditioned and the strongly correlated Gaussians; MALA's proposal density; funnel
// divergences and the funnel's x0 marginal.

#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "ebmc/core/errors.h"
#include "ebmc/samplers/hmc.h"
#include "ebmc/samplers/langevin.h"
#include "ebmc/samplers/mala.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/samplers/ula.h"
#include "ebmc/targets/dense_gaussian.h"
#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/registry.h"
#include "moment_checks.h"
#include "test_support.h"

namespace ebmc {
namespace {

RunResult run_with_setup(const std::string& sampler, const Target& target, int64_t chains,
                         int64_t warmup, int64_t draws, uint64_t seed) {
  Sampler setup = make_sampler(sampler);
  Rng rng(seed);
  return run_sampler(setup, target, uniform_inits(chains, target.dim(), 2.0, rng), rng,
                     RunOptions().warmup(warmup).draws(draws));
}

class GradientSamplersTest : public testing::SeedingFixture {};

TEST_F(GradientSamplersTest, MalaLogRatioMatchesTheProposalDensitiesByHand) {
  DiagonalGaussian target(torch::zeros({2}, torch::kFloat64),
                          torch::tensor({0.5, 2.0}, torch::kFloat64));
  Mala mala(MalaOptions().step_size(0.4));
  State state = mala.init(target, torch::tensor({{0.3, -1.0}}, torch::kFloat64));
  Rng rng(1);
  Rng replay(1);
  torch::Tensor log_ratio =
      mala.probe_log_accept(state, torch::tensor({0.4}, torch::kFloat64), rng);
  // Recompute with the same noise: q(x'|x) = N(x − ε²/2 ∇U(x), ε² I).
  const double eps = 0.4;
  torch::Tensor x = state.x;
  torch::Tensor x_new =
      x - 0.5 * eps * eps * target.energy_and_grad(x).grad + eps * replay.normal({1, 2});
  auto log_q = [&](const torch::Tensor& to, const torch::Tensor& from) {
    torch::Tensor mean = from - 0.5 * eps * eps * target.energy_and_grad(from).grad;
    return -(to - mean).pow(2).sum(1) / (2 * eps * eps);
  };
  torch::Tensor expected =
      target.energy(x) - target.energy(x_new) + log_q(x, x_new) - log_q(x_new, x);
  EXPECT_NEAR(log_ratio.item<double>(), expected.item<double>(), 1e-12);
}

TEST_F(GradientSamplersTest, FixedStepHmcReportsDivergencesOnTheFunnel) {
  std::unique_ptr<Target> funnel = make_target("funnel3");
  RunResult run = run_with_setup("hmc:step_size=1.0,num_steps=10,adapt=0", *funnel, 8, 0, 200, 4);
  EXPECT_GT(run.sampling_total("divergent__"), 0);
  EXPECT_TRUE(torch::isfinite(run.draws).all().item<bool>());
}

TEST_F(GradientSamplersTest, InvalidOptionsAreRejected) {
  for (const char* spec :
       {"hmc:num_steps=0", "hmc:jitter=1", "mala:step_size=0", "nuts:target_accept=1",
        "nuts:metric=dense", "ula:step_size=-1", "hmc:adapt=1,bogus=2"}) {
    EXPECT_THROW(make_sampler(spec), InputError) << spec;
  }
}

class GradientSamplersStatistical : public testing::SeedingFixture {};

/// How long to run one sampler on one target: chains are cheap (batched), so slow-mixing
/// samplers get more of them.
struct Plan {
  std::string sampler;
  int64_t chains, warmup, draws;
};

TEST_F(GradientSamplersStatistical, StandardNormal10d) {
  DiagonalGaussian target = DiagonalGaussian::standard(10);
  const torch::Tensor zero = torch::zeros({10}, torch::kFloat64);
  const torch::Tensor one = torch::ones({10}, torch::kFloat64);
  for (const Plan& plan :
       {Plan{"mala", 8, 500, 2000}, Plan{"hmc:num_steps=5,jitter=0.5", 4, 500, 2000},
        Plan{"nuts", 4, 500, 1000}}) {
    RunResult run = run_with_setup(plan.sampler, target, plan.chains, plan.warmup, plan.draws, 11);
    testing::expect_moments_within_mcse(run.draws, zero, one, plan.sampler);
  }
}

TEST_F(GradientSamplersStatistical, IllConditionedGaussian50d) {
  std::unique_ptr<Target> icg = make_target("icg");
  const torch::Tensor zero = torch::zeros({50}, torch::kFloat64);
  const torch::Tensor var = torch::logspace(-2.0, 2.0, 50, 10.0, torch::kFloat64);
  for (const Plan& plan :
       {Plan{"mala", 16, 1000, 4000}, Plan{"hmc:num_steps=10,jitter=0.3", 4, 1000, 1000},
        Plan{"nuts", 4, 1000, 1000}}) {
    RunResult run = run_with_setup(plan.sampler, *icg, plan.chains, plan.warmup, plan.draws, 12);
    testing::expect_moments_within_mcse(run.draws, zero, var, plan.sampler);
  }
}

TEST_F(GradientSamplersStatistical, StronglyCorrelatedGaussian) {
  // A diagonal metric cannot undo the correlation: MALA needs many chains and draws.
  std::unique_ptr<Target> target = make_target("scg");
  const torch::Tensor zero = torch::zeros({2}, torch::kFloat64);
  const torch::Tensor var = dynamic_cast<DenseGaussian&>(*target).covariance().diagonal();
  for (const Plan& plan :
       {Plan{"mala", 64, 5000, 30000}, Plan{"hmc:num_steps=40,jitter=0.5", 16, 1000, 1000},
        Plan{"nuts", 8, 1000, 500}}) {
    RunResult run = run_with_setup(plan.sampler, *target, plan.chains, plan.warmup, plan.draws, 13);
    testing::expect_moments_within_mcse(run.draws, zero, var, plan.sampler);
  }
}

// Neal's funnel: NUTS must find the neck. x0 ~ N(0, σ²) exactly, so the fraction of draws below
// each normal quantile σ z_p must be p within 4 MCSE (the MCSE of an indicator's mean).
TEST_F(GradientSamplersStatistical, NutsRecoversTheFunnelNeckMarginal) {
  const double sigma = 1.0;
  std::unique_ptr<Target> funnel = make_target("funnel:d=10,sigma=1");
  RunResult run = run_with_setup("nuts:target_accept=0.95", *funnel, 4, 1000, 2000, 15);
  const ChainMatrix x0 = per_parameter(run.draws)[0];
  const std::pair<double, double> quantiles[] = {{0.05, -1.6448536269514722},
                                                 {0.25, -0.6744897501960817},
                                                 {0.5, 0.0},
                                                 {0.75, 0.6744897501960817},
                                                 {0.95, 1.6448536269514722}};
  for (const auto& [p, z] : quantiles) {
    const ChainMatrix below = x0.map([&](double v) { return v <= sigma * z ? 1.0 : 0.0; });
    const ParameterSummary s = summarize("below", below);
    EXPECT_NEAR(s.mean, p, 4 * s.mcse_mean) << "P(x0 <= sigma z_p) for p = " << p;
  }
  EXPECT_LT(summarize("x0", x0).rhat, 1.05);
}

// ULA is biased: on N(0, σ²) its chain is the AR(1) x' = (1 − ε²/2σ²) x + ε ξ whose stationary
// variance is σ² / (1 − ε²/(4σ²)). The test checks that exact bias.
TEST_F(GradientSamplersStatistical, UlaHasItsExactBiasedVarianceOnGaussians) {
  const double sigma = 1.0;
  const double eps = 1.0;
  DiagonalGaussian target = DiagonalGaussian::standard(10);
  RunResult run = run_with_setup("ula:step_size=1.0", target, 4, 200, 4000, 14);
  const double biased = sigma * sigma / (1.0 - eps * eps / (4 * sigma * sigma));
  testing::expect_moments_within_mcse(run.draws, torch::zeros({10}, torch::kFloat64),
                                      torch::full({10}, biased, torch::kFloat64), "ula");
}

}  // namespace
}  // namespace ebmc
