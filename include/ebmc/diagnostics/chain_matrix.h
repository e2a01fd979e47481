#pragma once
/// @file chain_matrix.h
/// The [iterations, chains] array of one scalar quantity that every diagnostic takes.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ebmc {

/// Draws of one scalar quantity: `iterations` rows by `chains` columns, stored chain after chain
/// (each chain contiguous).
///
///     ebmc::ChainMatrix m(1000, 4);
///     m(10, 2) = 0.5;  // iteration 10 of chain 2
class ChainMatrix {
 public:
  ChainMatrix() = default;
  /// A zero-filled matrix.
  ChainMatrix(int64_t iterations, int64_t chains);
  /// From a [iterations, chains] tensor of any real dtype.
  static ChainMatrix from_tensor(const torch::Tensor& draws);

  int64_t iterations() const { return iterations_; }
  int64_t chains() const { return chains_; }
  /// Number of values, iterations × chains.
  int64_t size() const { return iterations_ * chains_; }

  double& operator()(int64_t iteration, int64_t chain) {
    return values_[static_cast<size_t>(chain * iterations_ + iteration)];
  }
  double operator()(int64_t iteration, int64_t chain) const {
    return values_[static_cast<size_t>(chain * iterations_ + iteration)];
  }
  /// Pointer to the first draw of `chain`; its draws are contiguous.
  const double* chain_data(int64_t chain) const { return values_.data() + chain * iterations_; }
  /// All values, chain after chain.
  const std::vector<double>& values() const { return values_; }
  std::vector<double>& values() { return values_; }

  /// A copy with `f` applied to every value.
  template <typename F>
  ChainMatrix map(F f) const {
    ChainMatrix out(iterations_, chains_);
    for (size_t i = 0; i < values_.size(); ++i) out.values_[i] = f(values_[i]);
    return out;
  }

 private:
  int64_t iterations_ = 0;
  int64_t chains_ = 0;
  std::vector<double> values_;
};

}  // namespace ebmc
