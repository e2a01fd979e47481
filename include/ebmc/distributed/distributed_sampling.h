#pragma once
/// @file distributed_sampling.h
/// Sampling one job's chains in several processes: each rank runs a contiguous slice of the
/// chains (a chain's draws depend only on the seed and its number, so the slices are the chains
/// of a one-process run bit for bit), and the runs are merged in rank order.
#include <cstdint>

#include "ebmc/core/runner.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/samplers/sample.h"

namespace ebmc {

/// Rank `rank`'s share of `chains` among `world_size` ranks: contiguous slices in rank order
/// whose sizes differ by at most one. Throws InputError when there are fewer chains than ranks.
ChainSlice chain_slice(int64_t chains, int rank, int world_size);

/// Every rank's run of its slice merged into the run of all chains, on every rank: draws and
/// statistics concatenated along the chains in rank order (cut to the fewest draws any rank
/// kept when a run was interrupted), per-chain tuning concatenated, counts and evaluation
/// costs summed, wall-clock times the slowest rank's, acceptance averaged over the chains, the
/// final step size rank 0's. A collective: every rank calls it.
RunResult gather_run(ProcessGroup& group, const RunResult& local);

}  // namespace ebmc
