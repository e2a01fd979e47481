#pragma once
/// @file data_parallel.h
/// Pieces of data-parallel training shared by the trainers: each rank's share of a batch, and
/// the world size a checkpoint records (a run resumes bit-exactly only with the world size that
/// wrote it: the sums over ranks round differently with another).
#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace ebmc {

/// Rows `first` … `first + count − 1` of a batch or of a set of chains.
struct RowShare {
  int64_t first = 0;
  int64_t count = 0;
};

/// Rank `rank`'s share of `total` rows among `world_size` ranks: contiguous, in rank order,
/// sizes differing by at most one (some may be empty when total < world_size).
RowShare contiguous_share(int64_t total, int rank, int world_size);

/// `contiguous_share` of a training batch; InputError at `--batch` when a rank would get no row.
RowShare batch_share(int64_t batch, int rank, int world_size);

/// Records the world size of the job writing a checkpoint.
void write_world_size(torch::serialize::OutputArchive& archive, int world_size);

/// InputError naming `checkpoint` when it was written by a job of another world size (one
/// process for checkpoints that record none).
void check_world_size(torch::serialize::InputArchive& archive, int world_size,
                      const std::string& checkpoint);

}  // namespace ebmc
