#pragma once
// Ranks of a distributed job as threads of the test process, meeting through a FileStore on
// loopback: what every distributed test runs its ranks with.

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "../test_support.h"
#include "ebmc/distributed/process_group.h"

namespace ebmc::testing {

/// Runs `body(group)` on `world` ranks (threads) that meet through a FileStore in a fresh
/// folder, each waiting at most `timeout_seconds` for the others; expects no rank to throw.
inline void run_ranks(int world, double timeout_seconds,
                      const std::function<void(ProcessGroup&)>& body) {
  TempDir dir;
  std::vector<std::thread> ranks;
  std::vector<std::string> failures(world);
  for (int r = 0; r < world; ++r) {
    ranks.emplace_back([&, r] {
      try {
        DistributedSettings settings;
        settings.rank = r;
        settings.world_size = world;
        settings.file_store = dir.file("store");
        settings.timeout_seconds = timeout_seconds;
        ProcessGroup group(settings);
        body(group);
      } catch (const std::exception& e) {
        failures[r] = e.what();
      }
    });
  }
  for (std::thread& t : ranks) t.join();
  for (int r = 0; r < world; ++r) EXPECT_EQ(failures[r], "") << "rank " << r;
}

}  // namespace ebmc::testing
