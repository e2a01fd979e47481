// Collectives of ebmc's process group over c10d's Gloo backend: ranks are threads of this process
// meeting through a FileStore on loopback, every test bounded by a short timeout.

#include "ebmc/distributed/process_group.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>

#include "ranks_test_support.h"

namespace ebmc {
namespace {

using testing::run_ranks;

TEST(ProcessGroupTest, GathersRowsOfDifferentCountsInRankOrder) {
  run_ranks(3, 20, [](ProcessGroup& group) {
    const int r = group.rank();
    // Rank r contributes r + 1 rows of [r, r, r].
    const torch::Tensor mine = torch::full({r + 1, 3}, static_cast<double>(r), torch::kFloat64);
    const std::vector<torch::Tensor> all = group.all_gather_rows(mine);
    ASSERT_EQ(all.size(), 3u);
    for (int k = 0; k < 3; ++k) {
      EXPECT_TRUE(
          torch::equal(all[k], torch::full({k + 1, 3}, static_cast<double>(k), torch::kFloat64)));
    }
  });
}

TEST(ProcessGroupTest, AverageIsTheSameBitsOnEveryRankAndSummedInRankOrder) {
  std::vector<torch::Tensor> results(2);
  std::vector<torch::Tensor> contributions = {torch::randn({5, 4}, torch::kFloat64),
                                              torch::randn({5, 4}, torch::kFloat64)};
  run_ranks(2, 20, [&](ProcessGroup& group) {
    std::vector<torch::Tensor> tensors = {contributions[group.rank()].clone(),
                                          torch::ones({2}, torch::kFloat32) * group.rank()};
    group.average(tensors);
    results[group.rank()] = tensors[0];
    EXPECT_TRUE(torch::equal(tensors[1], torch::full({2}, 0.5, torch::kFloat32)));
  });
  EXPECT_TRUE(torch::equal(results[0], results[1]));
  EXPECT_TRUE(torch::equal(results[0], (contributions[0] + contributions[1]) / 2.0));
}

TEST(ProcessGroupTest, BroadcastsRankZerosTensor) {
  run_ranks(2, 20, [](ProcessGroup& group) {
    torch::Tensor t = torch::full({4}, static_cast<double>(group.rank() + 7), torch::kFloat64);
    group.broadcast(t);
    EXPECT_TRUE(torch::equal(t, torch::full({4}, 7.0, torch::kFloat64)));
    group.barrier();
  });
}

TEST(ProcessGroupTest, ARankThatLeavesMakesTheOthersFailWithAClearError) {
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  run_ranks(2, 30, [&](ProcessGroup& group) {
    group.barrier();
    if (group.rank() == 1) return;  // leaves: its group is destroyed, its sockets closed
    try {
      std::vector<torch::Tensor> t = {torch::ones({3}, torch::kFloat64)};
      group.sum(t);
      ADD_FAILURE() << "the sum completed without rank 1";
    } catch (const RunFailed& e) {
      error = std::string(e.what()) + " (" + e.where() + ")";
    }
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(error.find("lost contact with the other ranks"), std::string::npos) << error;
  EXPECT_NE(error.find("(rank 0 of 2)"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_LT(seconds, 25) << "a dead peer must not cost the whole timeout";
}

TEST(ProcessGroupTest, ARankThatHangsMakesTheOthersFailAfterTheTimeout) {
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  run_ranks(2, 1, [&](ProcessGroup& group) {
    if (group.rank() == 1) {  // alive but never joins the collective
      std::this_thread::sleep_for(std::chrono::seconds(3));
      return;
    }
    try {
      std::vector<torch::Tensor> t = {torch::ones({3}, torch::kFloat64)};
      group.sum(t);
    } catch (const RunFailed& e) {
      error = e.what();
    }
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(error.find("lost contact with the other ranks"), std::string::npos) << error;
  EXPECT_LT(seconds, 10);
}

/// Sets environment variables for its lifetime (restoring what was there).
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(std::vector<std::pair<std::string, std::string>> values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      if (value.empty()) {
        ::unsetenv(name.c_str());
      } else {
        ::setenv(name.c_str(), value.c_str(), 1);
      }
    }
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(DistributedSettingsTest, ReadsTorchrunsVariables) {
  ScopedEnvironment env({{"RANK", "1"},
                         {"WORLD_SIZE", "4"},
                         {"MASTER_ADDR", "10.0.0.2"},
                         {"MASTER_PORT", "29511"},
                         {"EBMC_FILE_STORE", ""},
                         {"EBMC_DIST_TIMEOUT", "90"}});
  const DistributedSettings s = distributed_settings_from_environment();
  EXPECT_EQ(s.rank, 1);
  EXPECT_EQ(s.world_size, 4);
  EXPECT_EQ(s.master_addr, "10.0.0.2");
  EXPECT_EQ(s.master_port, 29511);
  EXPECT_EQ(s.timeout_seconds, 90);
  EXPECT_TRUE(s.distributed());
  EXPECT_EQ(s.where(), "rank 1 of 4");
}

TEST(DistributedSettingsTest, WithoutVariablesIsOneProcess) {
  ScopedEnvironment env({{"RANK", ""}, {"WORLD_SIZE", ""}});
  EXPECT_FALSE(distributed_settings_from_environment().distributed());
}

TEST(DistributedSettingsTest, RefusesMalformedVariablesNamingThem) {
  {
    ScopedEnvironment env({{"RANK", "2"}, {"WORLD_SIZE", "2"}});
    testing::expect_input_error([] { distributed_settings_from_environment(); }, "[0, 1]", "RANK");
  }
  {
    ScopedEnvironment env({{"RANK", "0"}, {"WORLD_SIZE", "two"}});
    testing::expect_input_error([] { distributed_settings_from_environment(); }, "'two'",
                                "WORLD_SIZE");
  }
  {
    ScopedEnvironment env({{"RANK", "0"}, {"WORLD_SIZE", ""}});
    testing::expect_input_error([] { distributed_settings_from_environment(); }, "together",
                                "WORLD_SIZE");
  }
  {
    ScopedEnvironment env({{"RANK", ""}, {"WORLD_SIZE", ""}, {"MASTER_PORT", "70000"}});
    testing::expect_input_error([] { distributed_settings_from_environment(); }, "70000",
                                "MASTER_PORT");
  }
}

}  // namespace
}  // namespace ebmc
