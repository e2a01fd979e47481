#include <cstdio>

#include "commands.h"
#include "ebmc/distributed/data_parallel.h"

namespace ebmc::cli {

std::unique_ptr<ProcessGroup> join_job(const DistributedSettings& dist, int64_t batch) {
  if (!dist.distributed()) return nullptr;
  if (batch > 0) batch_share(batch, dist.rank, dist.world_size);  // throws: too few rows
  return std::make_unique<ProcessGroup>(dist);
}

void print_collectives_summary(const ProcessGroup* group, double seconds) {
  if (group == nullptr) return;
  if (seconds < 0) {
    std::printf("data-parallel over %d processes: %.3f s in collectives (rank 0)\n",
                group->world_size(), group->communication_seconds());
    return;
  }
  std::printf("data-parallel over %d processes: %.3f s of %.3f s in collectives (rank 0)\n",
              group->world_size(), group->communication_seconds(), seconds);
}

}  // namespace ebmc::cli
