// Run warnings with Stan's and posterior's thresholds: each condition raises its warning, a
// clean run raises none, and a badly mixing run does not pass silently.

#include "ebmc/diagnostics/warnings.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ebmc/samplers/registry.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

std::vector<std::string> codes(const std::vector<RunWarning>& warnings) {
  std::vector<std::string> out;
  for (const RunWarning& w : warnings) out.push_back(w.code);
  return out;
}

/// The message of the warning `code`, or "" when there is none.
std::string message_of(const std::vector<RunWarning>& warnings, const std::string& code) {
  for (const RunWarning& w : warnings) {
    if (w.code == code) return w.message;
  }
  return "";
}

bool has(const std::vector<RunWarning>& warnings, const std::string& code) {
  return !message_of(warnings, code).empty();
}

TEST(WarningsTest, EbfmiIsTheRatioOfSquaredJumpsToSquaredDeviations) {
  // Chain 1: energies 1, 2, 4: jumps² 1 + 4 = 5, deviations² 42/9, E-BFMI = 45/42.
  // Chain 2: constant: undefined.
  const torch::Tensor energy = torch::tensor({{1.0, 3.0}, {2.0, 3.0}, {4.0, 3.0}});
  const std::vector<double> values = ebfmi(energy);
  EXPECT_NEAR(values[0], 45.0 / 42.0, 1e-12);
  EXPECT_TRUE(std::isnan(values[1]));
}

TEST(WarningsTest, EveryConditionRaisesItsWarningAndACleanRunNone) {
  RunResult run;
  const int64_t draws = 50, chains = 2;
  run.draws = torch::zeros({draws, chains, 1}, torch::kFloat64);
  run.stat_names = {"lp__", "accept_stat__", "treedepth__", "divergent__", "energy__"};
  run.stats = torch::zeros({draws, chains, 5}, torch::kFloat64);
  // A smooth energy trace (E-BFMI far below 0.3) in chain 1, white noise in chain 2.
  run.stats.select(2, 4).select(1, 0).copy_(torch::linspace(0, 10, draws, torch::kFloat64));
  Rng rng(1);
  run.stats.select(2, 4).select(1, 1).copy_(rng.normal({draws}));
  run.stats[3][1][2] = 10;  // one draw at the maximum tree depth
  run.stat_limits = {{"treedepth__", 10.0}};
  run.sampling_totals = {{"divergent__", 3.0}};
  run.nonfinite = 2;
  run.target_accept = 0.8;
  run.accept_rate = 0.5;
  ParameterSummary bad;
  bad.name = "x.1";
  bad.rhat = 1.05;
  bad.ess_bulk = 150;  // below 100 per chain
  bad.ess_tail = 150;
  const std::vector<RunWarning> warnings = run_warnings(run, {bad});
  for (const char* code : {"rhat", "ess_bulk", "ess_tail", "divergences", "treedepth", "ebfmi",
                           "nonfinite", "acceptance"}) {
    EXPECT_TRUE(has(warnings, code)) << code;
  }
  for (const RunWarning& w : warnings) EXPECT_GT(w.message.size(), 20u) << w.code;
  const std::string ebfmi_message = message_of(warnings, "ebfmi");
  EXPECT_NE(ebfmi_message.find("chain 1"), std::string::npos);
  EXPECT_EQ(ebfmi_message.find("chain 2"), std::string::npos);

  // The same run with everything in order.
  RunResult clean = run;
  clean.stats.select(2, 4).select(1, 0).copy_(rng.normal({draws}));
  clean.stats[3][1][2] = 9;
  clean.sampling_totals.clear();
  clean.nonfinite = 0;
  clean.accept_rate = 0.78;
  ParameterSummary good = bad;
  good.rhat = 1.001;
  good.ess_bulk = good.ess_tail = 250;
  EXPECT_TRUE(run_warnings(clean, {good}).empty()) << codes(run_warnings(clean, {good})).size();
}

TEST(WarningsTest, AnEnergyFallingInEveryChainAndAZeroGradientAreNamed) {
  RunResult run;
  const int64_t draws = 100, chains = 3;
  run.stat_names = {"lp__", "accept_stat__"};
  run.stats = torch::zeros({draws, chains, 2}, torch::kFloat64);
  Rng rng(5);
  // log density rising through the run (energy unbounded below), with noise.
  const torch::Tensor trend = torch::linspace(0, 50, draws, torch::kFloat64).unsqueeze(1);
  run.stats.select(2, 0).copy_(trend + rng.normal({draws, chains}));
  run.gradient_always_zero = true;
  std::vector<RunWarning> warnings = run_warnings(run, {});
  EXPECT_TRUE(has(warnings, "energy_trend"));
  EXPECT_TRUE(has(warnings, "zero_gradient"));
  // One chain without the trend: no energy warning (stationary chains overlap at both ends).
  run.stats.select(2, 0).select(1, 1).copy_(rng.normal({draws}));
  run.gradient_always_zero = false;
  warnings = run_warnings(run, {});
  EXPECT_FALSE(has(warnings, "energy_trend"));
  EXPECT_FALSE(has(warnings, "zero_gradient"));
}

TEST(WarningsTest, ABadlyMixingRunDoesNotPassSilently) {
  // Random-walk Metropolis on the 50-d ICG: the chains barely move in 200 draws.
  std::unique_ptr<Target> icg = make_target("icg");
  Sampler rwm = make_sampler("rwm");
  Rng rng(3);
  RunResult run = run_sampler(rwm, *icg, uniform_inits(4, 50, 2.0, rng), rng,
                              RunOptions().warmup(100).draws(200));
  const auto summaries = summarize_all(icg->parameter_names(), per_parameter(run.draws));
  const std::vector<RunWarning> warnings = run_warnings(run, summaries);
  EXPECT_TRUE(has(warnings, "rhat"));
  EXPECT_TRUE(has(warnings, "ess_bulk"));
  // NUTS on a 2-d Gaussian with Stan's defaults: nothing to warn about.
  std::unique_ptr<Target> gaussian = make_target("gaussian:d=2");
  Sampler nuts = make_sampler("nuts");
  Rng rng2(4);
  RunResult good = run_sampler(nuts, *gaussian, uniform_inits(4, 2, 2.0, rng2), rng2,
                               RunOptions().warmup(500).draws(1000));
  EXPECT_TRUE(
      run_warnings(good, summarize_all(gaussian->parameter_names(), per_parameter(good.draws)))
          .empty());
}

}  // namespace
}  // namespace ebmc
