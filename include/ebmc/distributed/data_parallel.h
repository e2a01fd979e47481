#pragma once
/// @file data_parallel.h
/// Pieces of data-parallel training shared by the trainers: each rank's share of a batch, and
/// the world size a checkpoint records (a run resumes bit-exactly only with the world size that
/// wrote it: the sums over ranks round differently with another).
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

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

class ProcessGroup;
class Rng;

/// A training batch as one rank of a data-parallel job sees it: its contiguous rows of the
/// batch (`batch_share`), the random draws one process holding the whole batch would give those
/// rows, its part of the batch means, and the whole batch gathered back. Every rank draws every
/// row's random numbers from the same stream (so the streams stay in step and each row gets the
/// draws it gets in one process) and evaluates only its rows. A default-constructed share is
/// the whole batch in one process: every member then does exactly what the one-process code did
/// (`mean` is `Tensor::mean`, the draws are the plain calls), so one-process results keep their
/// bits.
///
/// Tensors of k·count rows hold k blocks of this rank's rows (e.g. its training chains, then its
/// fresh draws): they stand for k·total rows of the whole batch, block by block.
///
///     ebmc::BatchShare share(group, chains.size(0));
///     torch::Tensor mine = share.take(chains);              // this rank's rows
///     torch::Tensor noise = share.normal(rng, mine.sizes());  // as one process would draw them
///     torch::Tensor loss = share.mean(per_row_loss);         // sums over ranks to the mean
class BatchShare {
 public:
  /// The whole batch, one process.
  BatchShare() = default;
  /// Rank `group.rank()`'s share of a batch of `total` rows; InputError at `--batch` when a rank
  /// would get no row.
  BatchShare(ProcessGroup& group, int64_t total);

  /// True for the whole batch in one process.
  bool whole() const { return group_ == nullptr; }
  const RowShare& rows() const { return rows_; }
  int64_t total() const { return total_; }
  /// This rank's fraction of the batch, count / total (1 for the whole batch).
  double fraction() const;
  /// The same ranks' shares of another batch of `total` rows (the whole batch in one process).
  BatchShare share_of(int64_t total) const;

  /// This rank's rows of `whole` (k·total rows: block by block).
  torch::Tensor take(const torch::Tensor& whole) const;
  /// Standard-normal / uniform draws of shape `sizes` (k·count rows): this rank's rows of the
  /// draws of k·total rows.
  torch::Tensor normal(Rng& rng, torch::IntArrayRef sizes) const;
  torch::Tensor uniform(Rng& rng, torch::IntArrayRef sizes) const;
  /// A generator for code that draws one row per chain (the per-chain contract: kernels'
  /// `step`): `rng.rows` of this share, sharing `rng`'s stream; `rng` itself for the whole batch.
  Rng rows_of(Rng& rng) const;
  /// This rank's part of the batch mean of the per-row values `values` (k·count rows): their
  /// sum over the k·total rows of the batch (the ranks' parts sum to the mean).
  torch::Tensor mean(const torch::Tensor& values) const;
  /// The batch means of several per-row values (detached), over all ranks in one collective.
  std::vector<double> batch_means(const std::vector<torch::Tensor>& values) const;
  /// Sums every parameter's gradient and `loss` over the ranks (`sum_over_ranks`); returns the
  /// summed loss. No-op for the whole batch.
  double sum_gradients(const std::vector<torch::Tensor>& parameters, double loss) const;
  /// Every rank's rows (k·count each) put back together: the whole batch's k·total rows, the
  /// same on every rank.
  torch::Tensor gather(const torch::Tensor& mine) const;

 private:
  /// k for a tensor of `rows` rows of this rank.
  int64_t blocks(int64_t rows) const;
  /// The whole batch's shape for `sizes` of this rank.
  std::vector<int64_t> whole_sizes(torch::IntArrayRef sizes) const;

  ProcessGroup* group_ = nullptr;
  RowShare rows_;
  int64_t total_ = 0;
};

/// Replaces every parameter's gradient (undefined: zeros) by its sum over the ranks, added in
/// rank order; returns the sum of `loss` over the ranks. With `signalled`, also tells every rank
/// whether any rank got SIGINT/SIGTERM (`interrupt_requested`), in the same collective.
double sum_over_ranks(ProcessGroup& group, const std::vector<torch::Tensor>& parameters,
                      double loss, bool* signalled = nullptr);

/// Records the world size of the job writing a checkpoint (`group` null: one process).
void write_world_size(torch::serialize::OutputArchive& archive, const ProcessGroup* group);

/// InputError naming `checkpoint` when it was written by a job of another world size than
/// `group`'s (null: one process; one process for checkpoints that record none).
void check_world_size(torch::serialize::InputArchive& archive, const ProcessGroup* group,
                      const std::string& checkpoint);

}  // namespace ebmc
