#pragma once
/// @file pairwise_energy.h
/// Exact evaluation of binary pairwise log-probabilities f(x) = sᵀJs + bᵀs (s = 2x − 1), so that
/// a state's recorded energy is a function of the state alone: the same bits whichever kernel,
/// path or summation order produced it, and the same bits for states whose terms add up to the
/// same value (an Ising lattice's energy levels).

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "ebmc/discrete/graph.h"

namespace ebmc {

/// f(x) = Σᵢ sᵢ(Σⱼ Jᵢⱼ sⱼ + bᵢ) of binary states, evaluated exactly. Every nonzero weight Jᵢⱼ and
/// bᵢ is an integer multiple of one power of two 2^L; when all of them, summed D·(degree + 1)
/// times, fit a 126-bit integer (any lattice, any graph whose weights span fewer than ~2^100 in
/// magnitude), f is that integer sum — exact, independent of order — rounded once to the nearest
/// double. Otherwise `exact()` is false and f is a compensated (Neumaier) sum in a fixed order.
///
/// Fused kernels carry the integer sum along a chain: `flip_change` is the exact change of one
/// flip, so an energy updated flip by flip keeps the bits of a fresh evaluation.
///
///     ebmc::PairwiseEnergy energy(couplings, bias);
///     double f = energy.log_prob(x_row);  // x_row: D values in {0, 1}
class PairwiseEnergy {
 public:
  /// An exact sum, in units of 2^L.
  using Sum = __int128;

  /// For couplings J (symmetric, zero diagonal) and bias b [D] (float64).
  PairwiseEnergy(const Couplings& couplings, const torch::Tensor& bias);

  /// Whether f is computed exactly (see the class comment).
  bool exact() const { return exact_; }
  /// Number of sites D.
  int64_t sites() const { return sites_; }

  /// f of one state `x` [D] with values in {0, 1}.
  double log_prob(const double* x) const;
  /// f of every row of `x` [chains, D] (float64, values in {0, 1}): [chains].
  torch::Tensor log_prob(const torch::Tensor& x) const;

  /// The exact f of `x` in units of 2^L (only when `exact()`).
  Sum sum(const double* x) const;
  /// The exact change of f when site `i` of `x` flips, in units of 2^L, evaluated before the flip
  /// (only when `exact()`); O(degree).
  Sum flip_change(const double* x, int64_t i) const;
  /// `f` × 2^L rounded to the nearest double (ties to even): what `log_prob` returns.
  double value(Sum f) const;

 private:
  /// Σⱼ Jᵢⱼ sⱼ + bᵢ in units of 2^L.
  Sum local_sum(const double* x, int64_t i) const;
  double compensated_log_prob(const double* x) const;

  int64_t sites_ = 0, degree_ = 0;
  std::vector<int64_t> neighbours_;  ///< [D × degree]
  std::vector<double> weights_;      ///< [D × degree]
  std::vector<double> bias_;         ///< [D]
  std::vector<Sum> weight_units_;    ///< the weights in units of 2^L (when exact)
  std::vector<Sum> bias_units_;      ///< the biases in units of 2^L (when exact)
  int scale_exponent_ = 0;           ///< L
  bool exact_ = false;
};

/// The exact f of each chain of a fused kernel, carried between its steps: the state it was
/// computed for (so that a state changed elsewhere is noticed and evaluated afresh) and its sum.
/// Chains are independent, so chains on different threads may use it at once.
class ChainEnergySums {
 public:
  /// The exact sum for chain `c` at state `x` [D]: the carried one when `x` is the state it was
  /// carried for, else a fresh `energy.sum(x)`.
  PairwiseEnergy::Sum at(const PairwiseEnergy& energy, int64_t c, const double* x);
  /// Chain `c` moved to `x` [D] with exact sum `f`.
  void moved(int64_t c, const double* x, PairwiseEnergy::Sum f);
  /// Makes room for `chains` chains of `sites` sites (forgetting every carried sum when the
  /// sizes change). Call before chains run in parallel.
  void reserve(int64_t chains, int64_t sites);
  /// Forgets every carried sum (the kernel was bound to another target).
  void forget() { valid_.assign(valid_.size(), 0); }

 private:
  int64_t sites_ = 0;
  std::vector<double> states_;  ///< [chains × D] the state each sum is for
  std::vector<PairwiseEnergy::Sum> sums_;
  std::vector<char> valid_;
};

}  // namespace ebmc
