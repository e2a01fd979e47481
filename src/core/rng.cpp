#include "ebmc/core/rng.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ebmc {

namespace {

using Block = std::array<uint32_t, 4>;

/// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3").
Block philox(Block counter, uint64_t key64) {
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  uint32_t k0 = static_cast<uint32_t>(key64), k1 = static_cast<uint32_t>(key64 >> 32);
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kMul0) * counter[0];
    const uint64_t p1 = static_cast<uint64_t>(kMul1) * counter[2];
    counter = {static_cast<uint32_t>(p1 >> 32) ^ counter[1] ^ k0, static_cast<uint32_t>(p1),
               static_cast<uint32_t>(p0 >> 32) ^ counter[3] ^ k1, static_cast<uint32_t>(p0)};
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return counter;
}

/// The uniforms on [0, 1) of one block: two 53-bit doubles.
std::array<double, 2> block_uniforms(const Block& b) {
  constexpr double kScale = 1.0 / 9007199254740992.0;  // 2^-53
  const uint64_t w0 = (static_cast<uint64_t>(b[0]) << 32) | b[1];
  const uint64_t w1 = (static_cast<uint64_t>(b[2]) << 32) | b[3];
  return {static_cast<double>(w0 >> 11) * kScale, static_cast<double>(w1 >> 11) * kScale};
}

/// The reserved chain index of the stream common to all chains.
constexpr uint64_t kSharedStream = ~uint64_t{0};

}  // namespace

std::array<double, 2> ChainStream::next_block() {
  const Block counter = {position_++, transition_, static_cast<uint32_t>(chain_),
                         static_cast<uint32_t>(chain_ >> 32)};
  return block_uniforms(philox(counter, seed_));
}

void ChainStream::fill(double* out, int64_t n, bool normal) {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  for (int64_t i = 0; i < n; i += 2) {
    const auto [u, v] = next_block();
    double a = u, b = v;
    if (normal) {  // Box–Muller; 1 − u lies in (0, 1]
      const double r = std::sqrt(-2.0 * std::log(1.0 - u));
      a = r * std::cos(kTwoPi * v);
      b = r * std::sin(kTwoPi * v);
    }
    out[i] = a;
    if (i + 1 < n) out[i + 1] = b;
  }
}

Rng::Rng(uint64_t seed) : seed_(seed), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

Rng::Rng(uint64_t seed, ChainStreams streams) : Rng(seed) {
  if (streams.count < 1 || streams.first > kSharedStream - static_cast<uint64_t>(streams.count)) {
    throw std::invalid_argument("Rng: chain streams need count >= 1 and indices below 2^64 - 1");
  }
  first_chain_ = streams.first;
  positions_.assign(static_cast<size_t>(streams.count), 0);
}

at::Generator& Rng::generator() {
  if (per_chain()) throw std::logic_error("Rng: a per-chain generator has no torch generator");
  return generator_;
}

Rng Rng::rows(int64_t first, int64_t count, int64_t total) const {
  if (per_chain() || row_total_ > 0 || count < 1 || first < 0 || first + count > total) {
    throw std::logic_error("Rng::rows: needs a plain one-stream generator and rows of the batch");
  }
  Rng view = *this;  // shares the torch generator (a reference-counted handle)
  view.row_first_ = first;
  view.row_count_ = count;
  view.row_total_ = total;
  return view;
}

torch::Tensor Rng::row_share_draws(torch::IntArrayRef sizes, torch::ScalarType dtype, Draw kind) {
  if (sizes.empty() || sizes[0] != row_count_) {
    throw std::logic_error("Rng: a draw of a row share needs its number of rows (" +
                           std::to_string(row_count_) + ") as its leading dimension");
  }
  std::vector<int64_t> whole(sizes.begin(), sizes.end());
  whole[0] = row_total_;
  const torch::TensorOptions options = torch::TensorOptions().dtype(dtype);
  const torch::Tensor draws = kind == Draw::kNormal ? torch::randn(whole, generator_, options)
                                                    : torch::rand(whole, generator_, options);
  return draws.narrow(0, row_first_, row_count_);
}

torch::Tensor Rng::normal(torch::IntArrayRef sizes, torch::ScalarType dtype) {
  if (per_chain()) return per_chain_draws(sizes, dtype, Draw::kNormal);
  if (row_total_ > 0) return row_share_draws(sizes, dtype, Draw::kNormal);
  return torch::randn(sizes, generator_, torch::TensorOptions().dtype(dtype));
}

torch::Tensor Rng::uniform(torch::IntArrayRef sizes, torch::ScalarType dtype) {
  if (per_chain()) return per_chain_draws(sizes, dtype, Draw::kUniform);
  if (row_total_ > 0) return row_share_draws(sizes, dtype, Draw::kUniform);
  return torch::rand(sizes, generator_, torch::TensorOptions().dtype(dtype));
}

torch::Tensor Rng::random_rows(int64_t n, int64_t count) {
  return (uniform({count}) * static_cast<double>(n)).to(torch::kInt64).clamp_max(n - 1);
}

double Rng::shared_uniform() {
  if (!per_chain()) return torch::rand({1}, generator_, torch::kFloat64).item<double>();
  return ChainStream(seed_, kSharedStream, transition_, shared_position_).uniform();
}

void Rng::next_transition() {
  if (!per_chain()) return;
  ++transition_;
  std::fill(positions_.begin(), positions_.end(), 0u);
  shared_position_ = 0;
}

ChainStream Rng::chain_stream(int64_t chain) {
  if (!per_chain() || chain < 0 || chain >= static_cast<int64_t>(positions_.size())) {
    throw std::logic_error("Rng: chain_stream needs a per-chain generator and a chain it serves");
  }
  return ChainStream(seed_, first_chain_ + static_cast<uint64_t>(chain), transition_,
                     positions_[static_cast<size_t>(chain)]);
}

torch::Tensor Rng::per_chain_draws(torch::IntArrayRef sizes, torch::ScalarType dtype, Draw kind) {
  const int64_t chains = static_cast<int64_t>(positions_.size());
  if (sizes.empty() || sizes[0] != chains) {
    throw std::logic_error("Rng: a per-chain draw needs the number of chains (" +
                           std::to_string(chains) + ") as its leading dimension");
  }
  torch::Tensor out = torch::empty(sizes, torch::kFloat64);
  const int64_t row = out.numel() / chains;  // chains >= 1 (checked at construction)
  double* data = out.data_ptr<double>();
  const int64_t grain = std::max<int64_t>(1, 2048 / std::max<int64_t>(row, 1));
  at::parallel_for(0, chains, grain, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      chain_stream(c).fill(data + c * row, row, kind == Draw::kNormal);
    }
  });
  return dtype == torch::kFloat64 ? out : out.to(dtype);
}

}  // namespace ebmc
