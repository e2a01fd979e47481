#pragma once
/// @file rng.h
/// The one explicit, seeded random-number generator of a run.

#include <torch/torch.h>

#include <array>
#include <cstdint>
#include <vector>

namespace ebmc {

/// Which chains a per-chain `Rng` serves: global chain indices `first`, …, `first + count − 1`.
struct ChainStreams {
  uint64_t first = 0;  ///< global index of the first chain (a run's `--chain-offset`)
  int64_t count = 0;   ///< number of chains
};

/// One chain's stream of a per-chain `Rng` (see `Rng::chain_stream`): kernels that run each chain
/// on its own draw from it in raw memory, without tensors, and get exactly the draws that chain's
/// row of the batched `uniform` / `normal` calls would have given, in the same order.
class ChainStream {
 public:
  ChainStream(uint64_t seed, uint64_t chain, uint32_t transition, uint32_t& position)
      : seed_(seed), chain_(chain), transition_(transition), position_(position) {}
  /// The next Philox block of the stream as two uniforms on [0, 1).
  std::array<double, 2> next_block();
  /// One uniform on [0, 1): row c of `Rng::uniform({chains})`.
  double uniform() { return next_block()[0]; }
  /// `n` uniforms (`normal == false`) or standard normals (Box–Muller) into `out`: row c of
  /// `Rng::uniform({chains, n})` / `Rng::normal({chains, n})`.
  void fill(double* out, int64_t n, bool normal);

 private:
  uint64_t seed_, chain_;
  uint32_t transition_;
  uint32_t& position_;
};

/// A seeded CPU generator; every random draw of a run goes through one of these, so the same seed
/// gives the same draws bit for bit. There is no global state.
///
/// Two modes:
/// - `Rng(seed)`: one stream (torch's CPU generator) for everything — model building, network
///   initialisation, training.
/// - `Rng(seed, ChainStreams{first, count})`: one counter-based stream (Philox4x32-10) per chain,
///   keyed by the seed and the chain's *global* index, restarted at every transition
///   (`next_transition`). Row c of every draw comes from chain c's stream only, so a chain's draws
///   depend on (seed, global chain index) alone: not on how many chains run beside it, on
///   `--chain-offset`, or on the number of threads (rows are filled in parallel, each by one
///   thread). Every draw's leading dimension must then be the number of chains; draws common to
///   all chains (e.g. HMC's jittered path length) use `shared_uniform`, a stream keyed by the seed
///   alone.
///
///     ebmc::Rng rng(42, {0, chains});
///     torch::Tensor noise = rng.normal({chains, dim});
class Rng {
 public:
  /// One stream seeded with `seed`.
  explicit Rng(uint64_t seed);
  /// One stream per chain of `streams`, keyed by `seed` and the chain's global index.
  Rng(uint64_t seed, ChainStreams streams);

  /// Standard-normal draws of the given shape (float64 unless `dtype` says otherwise).
  torch::Tensor normal(torch::IntArrayRef sizes, torch::ScalarType dtype = torch::kFloat64);
  /// Uniform draws on [0, 1) of the given shape.
  torch::Tensor uniform(torch::IntArrayRef sizes, torch::ScalarType dtype = torch::kFloat64);
  /// `count` row indices drawn uniformly with replacement from 0 … n − 1 (int64), e.g. a
  /// minibatch of a data set.
  torch::Tensor random_rows(int64_t n, int64_t count);
  /// One uniform draw on [0, 1) common to all chains.
  double shared_uniform();
  /// Starts the next transition: per-chain streams restart at a fresh counter, so how many draws
  /// one chain used in the previous transition never shifts another's. No-op with one stream.
  void next_transition();

  /// Chain `chain`'s stream (local index, 0 ≤ chain < count) of a per-chain generator; draws from
  /// it advance the same position as that chain's rows of batched draws. One thread per chain at
  /// a time.
  ChainStream chain_stream(int64_t chain);

  /// A view of this one-stream generator for rows `first` … `first + count − 1` of a batch of
  /// `total` rows (a rank's share of the chains in data-parallel training). It follows the
  /// per-chain contract — every draw's leading dimension is `count`, draws common to all rows
  /// use `shared_uniform` — and draws `total` rows from the shared stream, keeping its own: its
  /// rows get exactly the draws they get in one process drawing for the whole batch, and the
  /// stream advances as it does there (alike on every rank). Shares the stream with `*this`.
  Rng rows(int64_t first, int64_t count, int64_t total) const;

  /// True for per-chain streams.
  bool per_chain() const { return !positions_.empty(); }
  /// The underlying generator of a one-stream `Rng`, for torch functions that take one (a
  /// per-chain `Rng` has none: std::logic_error).
  at::Generator& generator();
  /// The seed this generator started from.
  uint64_t seed() const { return seed_; }

 private:
  enum class Draw { kUniform, kNormal };
  torch::Tensor per_chain_draws(torch::IntArrayRef sizes, torch::ScalarType dtype, Draw kind);
  /// A draw of a `rows` view: `total` rows of the stream, this view's kept.
  torch::Tensor row_share_draws(torch::IntArrayRef sizes, torch::ScalarType dtype, Draw kind);

  uint64_t seed_;
  at::Generator generator_;
  uint64_t first_chain_ = 0;
  uint32_t transition_ = 0;
  std::vector<uint32_t> positions_;  ///< next Philox block of each chain in this transition
  uint32_t shared_position_ = 0;
  int64_t row_first_ = 0, row_count_ = 0, row_total_ = 0;  ///< a `rows` view when row_total_ > 0
};

}  // namespace ebmc
