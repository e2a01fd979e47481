#pragma once
/// @file rng.h
/// The one explicit, seeded random-number generator of a run.

#include <torch/torch.h>

#include <cstdint>

namespace ebmc {

/// A seeded CPU generator; every random draw of a run goes through one of these, so the same seed
/// gives the same draws bit for bit. There is no global state.
///
///     ebmc::Rng rng(42);
///     torch::Tensor noise = rng.normal({chains, dim});
class Rng {
 public:
  /// Creates a generator seeded with `seed`.
  explicit Rng(uint64_t seed);

  /// Standard-normal draws of the given shape (float64 unless `dtype` says otherwise).
  torch::Tensor normal(torch::IntArrayRef sizes, torch::ScalarType dtype = torch::kFloat64);
  /// Uniform draws on [0, 1) of the given shape.
  torch::Tensor uniform(torch::IntArrayRef sizes, torch::ScalarType dtype = torch::kFloat64);
  /// The underlying generator, for torch functions that take one.
  at::Generator& generator() { return generator_; }
  /// The seed this generator started from.
  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  at::Generator generator_;
};

}  // namespace ebmc
