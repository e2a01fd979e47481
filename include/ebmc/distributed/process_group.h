#pragma once
/// @file process_group.h
/// Processes that work on one job, the torch.distributed way: rank, world size and rendezvous
/// from `torchrun`'s environment variables, and the collectives ebmc needs, run by LibTorch's
/// c10d `ProcessGroupGloo` over TCP (a `TCPStore` on MASTER_ADDR:MASTER_PORT, or a `FileStore`
/// on one machine). Reductions are summed in rank order on every rank, so every rank holds the
/// same bits and the result does not depend on how Gloo schedules its ring.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace ebmc {

/// Where the processes of a job meet and how long they wait for each other.
struct DistributedSettings {
  int rank = 0;                           ///< RANK: this process, 0 … world_size − 1
  int world_size = 1;                     ///< WORLD_SIZE: processes in the job
  std::string master_addr = "127.0.0.1";  ///< MASTER_ADDR: host of rank 0's TCPStore
  int master_port = 29500;                ///< MASTER_PORT
  /// EBMC_FILE_STORE: rendezvous through this file (one machine, shared file system) instead
  /// of a TCPStore.
  std::string file_store;
  /// EBMC_DIST_TIMEOUT (seconds): how long a rank waits for the others in the rendezvous and in
  /// every collective before it gives up with an error; torch.distributed's default, 30 min.
  double timeout_seconds = 1800;

  /// True when the job has more than one process.
  bool distributed() const { return world_size > 1; }
  /// `rank R of N`, for messages.
  std::string where() const;
};

/// The settings `torchrun` (and `ebmc launch`) give a process: RANK and WORLD_SIZE (both or
/// neither; neither: one process), MASTER_ADDR, MASTER_PORT, and ebmc's EBMC_FILE_STORE and
/// EBMC_DIST_TIMEOUT. Throws InputError naming the variable when one is malformed or out of
/// range.
DistributedSettings distributed_settings_from_environment();

/// One process's membership in a job: collectives over all ranks. A rank that dies makes the
/// others' next collective fail at once (connection reset); one that hangs, after the timeout.
/// Every failure is thrown as RunFailed (`lost contact with the other ranks: …`, where: `rank R
/// of N`).
///
///     ebmc::ProcessGroup group(ebmc::distributed_settings_from_environment());
///     std::vector<torch::Tensor> grads = {...};
///     group.average(grads);  // the same mean on every rank
class ProcessGroup {
 public:
  /// Joins the job: waits (up to the timeout) until every rank has arrived.
  explicit ProcessGroup(const DistributedSettings& settings);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return settings_.rank; }
  int world_size() const { return settings_.world_size; }
  bool is_root() const { return settings_.rank == 0; }
  const DistributedSettings& settings() const { return settings_; }

  /// Every rank's `tensor` (the same shape and dtype on every rank), in rank order.
  std::vector<torch::Tensor> all_gather(const torch::Tensor& tensor);
  /// Every rank's `tensor`, whose first dimension may differ between ranks (the others may
  /// not), in rank order.
  std::vector<torch::Tensor> all_gather_rows(const torch::Tensor& tensor);
  /// Replaces each tensor by its sum over the ranks, added in rank order (the same bits on
  /// every rank).
  void sum(std::vector<torch::Tensor>& tensors);
  /// Replaces each tensor by its mean over the ranks (`sum`, then divided by the world size).
  void average(std::vector<torch::Tensor>& tensors);
  /// Replaces `tensor` on every rank by rank 0's.
  void broadcast(torch::Tensor& tensor);
  /// Returns when every rank has called it.
  void barrier();
  /// Wall-clock seconds this rank spent in collectives so far (waiting for slower ranks
  /// included): the communication share of a data-parallel run.
  double communication_seconds() const { return communication_seconds_; }

 private:
  struct Impl;
  /// Runs a collective, adding its time to `communication_seconds_` and turning failures of the
  /// communication layer into RunFailed.
  template <class Body>
  auto timed(const char* what, Body body);

  DistributedSettings settings_;
  std::unique_ptr<Impl> impl_;
  double communication_seconds_ = 0;
};

}  // namespace ebmc
