#include "ebmc/distributed/data_parallel.h"

#include "ebmc/core/errors.h"

namespace ebmc {

RowShare contiguous_share(int64_t total, int rank, int world_size) {
  const int64_t first = total * rank / world_size;
  return RowShare{first, total * (rank + 1) / world_size - first};
}

RowShare batch_share(int64_t batch, int rank, int world_size) {
  if (batch < world_size) {
    throw InputError("a batch of " + std::to_string(batch) + " rows cannot be shared by " +
                         std::to_string(world_size) + " processes",
                     "--batch");
  }
  return contiguous_share(batch, rank, world_size);
}

void write_world_size(torch::serialize::OutputArchive& archive, int world_size) {
  archive.write("world_size", c10::IValue(static_cast<int64_t>(world_size)));
}

void check_world_size(torch::serialize::InputArchive& archive, int world_size,
                      const std::string& checkpoint) {
  c10::IValue saved;
  const int64_t written = archive.try_read("world_size", saved) ? saved.toInt() : 1;
  if (written != world_size) {
    throw InputError(
        "checkpoint was written by a job of " + std::to_string(written) + " process" +
            (written == 1 ? "" : "es") + ", this one has " + std::to_string(world_size) +
            ": resume with the same number (ebmc launch -n " + std::to_string(written) +
            "), as the sums over the processes round "
            "differently with another",
        checkpoint);
  }
}

}  // namespace ebmc
