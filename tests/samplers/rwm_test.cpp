#include "ebmc/samplers/rwm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/targets/gaussian.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Standard normal whose energy is NaN wherever x.1 > 1: half of the proposals that cross the
/// boundary produce NaN.
class NanBeyondOneTarget : public Target {
 public:
  int64_t dim() const override { return 2; }
  std::string name() const override { return "nan_beyond_one"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override {
    torch::Tensor u = 0.5 * x.pow(2).sum(1);
    return torch::where(x.select(1, 0) > 1.0, torch::full_like(u, NAN), u);
  }
};

class RwmTest : public testing::SeedingFixture {};

TEST_F(RwmTest, SameSeedReproducesDrawsBitForBit) {
  DiagonalGaussian target = DiagonalGaussian::standard(3);
  auto run = [&](uint64_t seed) {
    RandomWalkMetropolis kernel(RwmOptions().step_size(1.0));
    Rng rng(seed);
    torch::Tensor x0 = rng.normal({4, 3});
    return run_chains(kernel, target, x0, rng, RunOptions().warmup(20).draws(50)).draws;
  };
  torch::Tensor a = run(11);
  EXPECT_TRUE(torch::equal(a, run(11)));
  EXPECT_FALSE(torch::equal(a, run(12)));
}

TEST_F(RwmTest, NanEnergyNeverProducesAnAcceptedNanState) {
  NanBeyondOneTarget target;
  RandomWalkMetropolis kernel(RwmOptions().step_size(1.5));
  Rng rng(3);
  RunResult run =
      run_chains(kernel, target, torch::zeros({16, 2}), rng, RunOptions().warmup(100).draws(500));
  EXPECT_GT(run.nonfinite, 100) << "the test must actually propose NaN states";
  EXPECT_TRUE(torch::isfinite(run.draws).all().item<bool>());
  EXPECT_LE(run.draws.select(2, 0).max().item<double>(), 1.0);
}

TEST_F(RwmTest, RejectsNonFiniteStartingPoint) {
  NanBeyondOneTarget target;
  RandomWalkMetropolis kernel;
  torch::Tensor x0 = torch::zeros({3, 2}, torch::kFloat64);
  x0[2][0] = 2.0;
  try {
    kernel.init(target, x0);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    // The third chain, numbered from 1 as draws.csv numbers it.
    EXPECT_NE(std::string(e.what()).find("initial state of chain 3 "), std::string::npos)
        << e.what();
  }
}

TEST_F(RwmTest, InvalidStepSizeIsRejected) {
  EXPECT_THROW(RandomWalkMetropolis(RwmOptions().step_size(0.0)), InputError);
  EXPECT_THROW(RandomWalkMetropolis(RwmOptions().step_size(-1.0)), InputError);
  EXPECT_THROW(RandomWalkMetropolis(RwmOptions().step_size(NAN)), InputError);
}

TEST_F(RwmTest, CountsOneEnergyEvaluationPerChainAndNoGradients) {
  DiagonalGaussian target = DiagonalGaussian::standard(2);
  RandomWalkMetropolis kernel;
  Rng rng(1);
  State state = kernel.init(target, torch::zeros({5, 2}));
  EXPECT_FALSE(state.grad.defined());
  Info info = kernel.step(state, rng);
  EXPECT_EQ(info.energy_evals, 5);
  EXPECT_EQ(info.gradient_evals, 0);
  EXPECT_EQ(info.accepted.sizes(), (std::vector<int64_t>{5}));
  // The cached energy is the energy of the current state.
  EXPECT_TRUE(torch::allclose(state.energy, target.energy(state.x)));
}

// Mean and variance of every coordinate of a D-dimensional standard normal within 4 MCSE.
class RwmStatistical : public testing::SeedingFixture {};

TEST_F(RwmStatistical, StandardNormalMomentsWithinFourMcse) {
  const int64_t dim = 5;
  DiagonalGaussian target = DiagonalGaussian::standard(dim);
  RandomWalkMetropolis kernel(RwmOptions().step_size(2.38 / std::sqrt(static_cast<double>(dim))));
  Rng rng(2026);
  torch::Tensor x0 = 2.0 * rng.normal({8, dim});
  RunResult run = run_chains(kernel, target, x0, rng, RunOptions().warmup(1000).draws(5000));
  EXPECT_NEAR(run.accept_rate, 0.3, 0.1);
  const std::vector<ChainMatrix> draws = per_parameter(run.draws);
  for (int64_t d = 0; d < dim; ++d) {
    const ChainMatrix& x = draws[static_cast<size_t>(d)];
    const ParameterSummary s = summarize("x", x);
    EXPECT_LT(s.rhat, 1.01);
    EXPECT_NEAR(s.mean, 0.0, 4 * s.mcse_mean) << "coordinate " << d;
    // Var = E[x^2] since the mean is known; its MCSE is the MCSE of the mean of x^2.
    const ChainMatrix squared = x.map([](double v) { return v * v; });
    const ParameterSummary s2 = summarize("x^2", squared);
    EXPECT_NEAR(s2.mean, 1.0, 4 * s2.mcse_mean) << "coordinate " << d;
    EXPECT_LT(s2.mcse_mean, 0.05) << "the test must be sharp enough to catch a wrong variance";
  }
}

}  // namespace
}  // namespace ebmc
