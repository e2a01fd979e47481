#include "ebmc/samplers/nuts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/targets/gaussian.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Records every point at which the gradient is evaluated.
class RecordingGaussian : public Target {
 public:
  explicit RecordingGaussian(int64_t dim) : inner_(DiagonalGaussian::standard(dim)) {}
  int64_t dim() const override { return inner_.dim(); }
  std::string name() const override { return "recording"; }
  mutable std::vector<torch::Tensor> visited;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override { return inner_.energy(x); }
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override {
    visited.push_back(x.clone());
    return inner_.energy_and_grad(x);
  }

 private:
  DiagonalGaussian inner_;
};

class NutsTest : public testing::SeedingFixture {};

// The states NUTS visits are exactly the leapfrog trajectory from (x0, p0) run forwards and
// backwards, and the draw is one of them.
TEST_F(NutsTest, TreeVisitsExactlyTheLeapfrogTrajectory) {
  for (uint64_t seed : {1, 2, 3, 4, 5, 6}) {
    SCOPED_TRACE(seed);
    RecordingGaussian target(3);
    Nuts nuts(NutsOptions().step_size(0.3).max_depth(6));
    const torch::Tensor x0 = torch::tensor({{0.5, -1.0, 0.3}}, torch::kFloat64);
    State state = nuts.init(target, x0);
    target.visited.clear();
    Rng rng(seed);
    Rng replay(seed);
    const torch::Tensor p0 = replay.normal({1, 3});  // the first draw of a step is the momentum
    Info info = nuts.step(state, rng);
    const std::vector<torch::Tensor> nuts_visits = target.visited;

    DiagonalMetric metric = DiagonalMetric::identity(1, 3);
    std::vector<torch::Tensor> trajectory = {x0};
    for (double direction : {1.0, -1.0}) {
      EnergyAndGrad eg = target.energy_and_grad(x0);
      PhasePoint z{x0, p0, eg.energy, eg.grad};
      for (int i = 0; i < 64; ++i) {
        z = leapfrog(target, metric, z, torch::tensor(direction * 0.3, torch::kFloat64));
        trajectory.push_back(z.x);
      }
    }
    const int64_t visited = info.gradient_evals;
    ASSERT_EQ(static_cast<int64_t>(nuts_visits.size()), visited);
    auto on_trajectory = [&](const torch::Tensor& x) {
      for (const torch::Tensor& t : trajectory) {
        if ((t - x).abs().max().item<double>() < 1e-12) return true;
      }
      return false;
    };
    for (int64_t i = 0; i < visited; ++i) {
      EXPECT_TRUE(on_trajectory(nuts_visits[static_cast<size_t>(i)])) << "leapfrog " << i;
    }
    EXPECT_TRUE(on_trajectory(state.x));
    // A trajectory of depth k has 2^k - 1 leapfrog steps.
    const int64_t depth = nuts.last_tree_depth()[0].item<int64_t>();
    EXPECT_GE(visited, (int64_t{1} << depth) - 1);
    EXPECT_LE(visited, (int64_t{1} << (depth + 1)) - 1);
    EXPECT_TRUE(torch::allclose(state.energy, target.energy(state.x)));
  }
}

TEST_F(NutsTest, StopsAtAUTurnLongBeforeMaxDepth) {
  DiagonalGaussian target = DiagonalGaussian::standard(1);
  Nuts nuts(NutsOptions().step_size(0.05).max_depth(12));
  State state = nuts.init(target, torch::zeros({16, 1}, torch::kFloat64));
  Rng rng(2);
  nuts.step(state, rng);
  // Half a period of the oscillator is pi / eps ~ 63 steps: depth 6 or 7, never 12.
  EXPECT_LE(nuts.last_tree_depth().max().item<int64_t>(), 8);
  EXPECT_GE(nuts.last_tree_depth().min().item<int64_t>(), 4);
}

TEST_F(NutsTest, DivergencesAreFlaggedAndNeverAccepted) {
  DiagonalGaussian target(torch::zeros({2}, torch::kFloat64),
                          torch::tensor({1e-3, 1.0}, torch::kFloat64));
  Nuts nuts(NutsOptions().step_size(1.0).max_depth(5));
  State state = nuts.init(target, torch::ones({8, 2}, torch::kFloat64) * 1e-3);
  Rng rng(3);
  Info info = nuts.step(state, rng);
  EXPECT_TRUE(info.stat("divergent__").to(torch::kBool).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(state.x).all().item<bool>());
}

TEST_F(NutsTest, InvalidOptionsAreRejected) {
  EXPECT_THROW(Nuts(NutsOptions().max_depth(0)), InputError);
  EXPECT_THROW(Nuts(NutsOptions().step_size(-1)), InputError);
}

// energy__ is the Hamiltonian of the drawn phase point: at stationarity that point is
// canonical, so energy__ − U = the kinetic energy averages d/2 (within 4 MCSE).
TEST(NutsEnergyTest, EnergyStatisticIsTheHamiltonianOfTheDraw) {
  torch::manual_seed(1);
  const DiagonalGaussian target = DiagonalGaussian::standard(4);
  for (const char* spec : {"nuts", "hmc:num_steps=5,jitter=0.5"}) {
    SCOPED_TRACE(spec);
    Sampler sampler = make_sampler(spec);
    Rng rng(8);
    RunResult run = run_sampler(sampler, target, uniform_inits(4, 4, 2.0, rng), rng,
                                RunOptions().warmup(300).draws(1000));
    const auto& names = run.stat_names;
    const int64_t energy = std::find(names.begin(), names.end(), "energy__") - names.begin();
    ASSERT_LT(energy, static_cast<int64_t>(names.size()));
    // lp__ = −U, so energy__ + lp__ is the kinetic energy of the drawn momentum.
    const torch::Tensor kinetic = run.stats.select(2, energy) + run.stats.select(2, 0);
    EXPECT_TRUE((kinetic >= 0).all().item<bool>());
    const ParameterSummary s = summarize("kinetic", ChainMatrix::from_tensor(kinetic));
    EXPECT_NEAR(s.mean, 2.0, 4 * s.mcse_mean);
  }
}

}  // namespace
}  // namespace ebmc
