#include "ebmc/core/runner.h"

#include <gtest/gtest.h>

#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/core/progress.h"
#include "ebmc/samplers/rwm.h"
#include "ebmc/targets/gaussian.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Records what the runner calls, in order.
class RecordingCallback : public RunCallback {
 public:
  void on_start(const RunOptions& options, const State& initial) override {
    started = true;
    start_chains = initial.chains();
    warmup = options.warmup();
  }
  void on_transition(Phase phase, int64_t, const State&, const Info& info) override {
    (phase == Phase::kWarmup ? warmup_transitions : sampling_transitions)++;
    if (info.seconds > 0) timed_transitions++;
  }
  void on_draw(int64_t draw, const torch::Tensor& recorded, const torch::Tensor& stats) override {
    draws.push_back(draw);
    last_x = recorded.clone();
    last_stats = stats.clone();
  }
  void on_finish(const RunResult&) override { finished = true; }

  torch::Tensor last_stats;
  bool started = false, finished = false;
  int64_t start_chains = 0, warmup = 0, warmup_transitions = 0, sampling_transitions = 0,
          timed_transitions = 0;
  std::vector<int64_t> draws;
  torch::Tensor last_x;
};

class RunnerTest : public testing::SeedingFixture {};

TEST_F(RunnerTest, WarmupDrawsThinningAndCallbacks) {
  DiagonalGaussian target = DiagonalGaussian::standard(3);
  RandomWalkMetropolis kernel(RwmOptions().step_size(0.9));
  Rng rng(5);
  RecordingCallback recorder;
  RunResult run = run_chains(kernel, target, torch::zeros({4, 3}), rng,
                             RunOptions().warmup(7).draws(5).thin(3), {&recorder});
  EXPECT_EQ(run.draws.sizes(), (std::vector<int64_t>{5, 4, 3}));
  EXPECT_TRUE(recorder.started && recorder.finished);
  EXPECT_EQ(recorder.start_chains, 4);
  EXPECT_EQ(recorder.warmup_transitions, 7);
  EXPECT_EQ(recorder.sampling_transitions, 15);
  EXPECT_EQ(recorder.timed_transitions, 7 + 15);  // every step carries its wall time
  EXPECT_EQ(recorder.draws, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(torch::equal(run.draws[4], recorder.last_x));
  // Costs: one energy evaluation per chain for init plus one per transition.
  EXPECT_EQ(run.warmup_cost.energy_evals, 4 * (1 + 7));
  EXPECT_EQ(run.sampling_cost.energy_evals, 4 * 15);
  EXPECT_EQ(run.total_cost().gradient_evals, 0);
  EXPECT_GT(run.sampling_cost.wall_seconds, 0.0);
  EXPECT_GT(run.accept_rate, 0.0);
  EXPECT_LT(run.accept_rate, 1.0);
  EXPECT_EQ(run.step_size, 0.9);
}

TEST_F(RunnerTest, ThinningKeepsEveryThinthTransition) {
  DiagonalGaussian target = DiagonalGaussian::standard(2);
  torch::Tensor x0 = torch::zeros({2, 2});
  RandomWalkMetropolis a(RwmOptions().step_size(0.5));
  Rng rng_a(9);
  RunResult thinned = run_chains(a, target, x0, rng_a, RunOptions().warmup(0).draws(4).thin(3));
  RandomWalkMetropolis b(RwmOptions().step_size(0.5));
  Rng rng_b(9);
  RunResult full = run_chains(b, target, x0, rng_b, RunOptions().warmup(0).draws(12).thin(1));
  for (int64_t k = 0; k < 4; ++k) {
    EXPECT_TRUE(torch::equal(thinned.draws[k], full.draws[3 * k + 2])) << k;
  }
}

TEST_F(RunnerTest, InvalidOptionsAreRejected) {
  EXPECT_THROW(RunOptions().draws(0).validate(), InputError);
  EXPECT_THROW(RunOptions().thin(0).validate(), InputError);
  EXPECT_THROW(RunOptions().warmup(-1).validate(), InputError);
  EXPECT_NO_THROW(RunOptions().warmup(0).validate());
}

TEST_F(RunnerTest, ProgressReporterWritesTenLinesWhenNotATerminal) {
  DiagonalGaussian target = DiagonalGaussian::standard(1);
  RandomWalkMetropolis kernel;
  Rng rng(1);
  std::ostringstream err;
  ProgressReporter progress(err, false);
  run_chains(kernel, target, torch::zeros({2, 1}), rng, RunOptions().warmup(50).draws(50),
             {&progress});
  const std::string text = err.str();
  EXPECT_NE(text.find("warmup"), std::string::npos);
  EXPECT_NE(text.find("sampling [==============================] 100% 100/100"), std::string::npos)
      << text;
  const auto lines = std::count(text.begin(), text.end(), '\n');
  EXPECT_GE(lines, 10);
  EXPECT_LE(lines, 12);
}

}  // namespace
}  // namespace ebmc
