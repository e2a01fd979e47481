// Splitting a sampling job's chains over ranks and merging the runs: ranks are threads meeting
// through a FileStore; the merged run equals the one-process run.

#include "ebmc/distributed/distributed_sampling.h"

#include <gtest/gtest.h>

#include "ranks_test_support.h"

namespace ebmc {
namespace {

TEST(ChainSliceTest, CoversTheChainsContiguouslyInRankOrder) {
  int64_t next = 0;
  for (int rank = 0; rank < 3; ++rank) {
    const ChainSlice s = chain_slice(8, rank, 3);
    EXPECT_EQ(s.first, next);
    EXPECT_TRUE(s.count == 2 || s.count == 3);
    next += s.count;
  }
  EXPECT_EQ(next, 8);
  testing::expect_input_error([] { chain_slice(2, 0, 3); }, "at least 3 chains, got 2", "--chains");
}

SampleRequest request_of(const std::string& target, const std::string& sampler) {
  SampleRequest request;
  request.target = target;
  request.sampler = sampler;
  request.chains = 5;
  request.seed = 23;
  request.run = RunOptions().warmup(40).draws(25);
  return request;
}

/// The run of `request` in `world` ranks, merged (rank 0's copy).
RunResult distributed_run(SampleRequest request, int world) {
  std::vector<RunResult> merged(world);
  testing::run_ranks(world, 60, [&](ProcessGroup& group) {
    SampleRequest mine = request;
    mine.slice = chain_slice(request.chains, group.rank(), world);
    merged[group.rank()] = gather_run(group, SampleJob(mine).run());
  });
  return merged[0];
}

void expect_same_run(const RunResult& one, const RunResult& merged) {
  EXPECT_TRUE(torch::equal(one.draws, merged.draws));
  EXPECT_TRUE(torch::equal(one.stats, merged.stats));
  EXPECT_EQ(one.total_cost().gradient_evals, merged.total_cost().gradient_evals);
  EXPECT_EQ(one.total_cost().energy_evals, merged.total_cost().energy_evals);
  EXPECT_EQ(one.nonfinite, merged.nonfinite);
  EXPECT_NEAR(one.accept_rate, merged.accept_rate, 1e-12);
  // Totals of real-valued statistics (energy__) are summed in another order: equal to rounding.
  ASSERT_EQ(one.sampling_totals.size(), merged.sampling_totals.size());
  for (const auto& [name, total] : one.sampling_totals) {
    EXPECT_NEAR(total, merged.sampling_total(name), 1e-9 * (1 + std::abs(total))) << name;
  }
  ASSERT_EQ(one.tuning.has_value(), merged.tuning.has_value());
  if (one.tuning) {
    EXPECT_TRUE(torch::equal(one.tuning->step_size, merged.tuning->step_size));
    EXPECT_TRUE(torch::equal(one.tuning->inverse_metric, merged.tuning->inverse_metric));
  }
}

TEST(DistributedSamplingTest, ThreeRanksOfNutsMergeIntoTheOneProcessRun) {
  const SampleRequest request = request_of("funnel:d=3", "nuts");
  expect_same_run(SampleJob(request).run(), distributed_run(request, 3));
}

TEST(DistributedSamplingTest, TwoRanksOfGwgMergeIntoTheOneProcessRun) {
  const SampleRequest request = request_of("ising:n=4", "gwg");
  expect_same_run(SampleJob(request).run(), distributed_run(request, 2));
}

TEST(DistributedSamplingTest, SlicesTakeTheirRowsOfInitialValuesAndTuning) {
  testing::TempDir dir;
  SampleRequest request = request_of("gaussian:d=2", "mala");
  request.init_file =
      dir.write("init.json", R"([{"x.1": 1}, {"x.1": 2}, {"x.1": 3}, {"x.1": 4}, {"x.1": 5}])");
  request.tuning_file = dir.write(
      "tuning.json",
      R"({"step_size": [0.1, 0.2, 0.3, 0.4, 0.5], "inverse_metric": [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5]]})");
  expect_same_run(SampleJob(request).run(), distributed_run(request, 2));
}

}  // namespace
}  // namespace ebmc
