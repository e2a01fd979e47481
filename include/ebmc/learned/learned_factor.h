#pragma once
/// @file learned_factor.h
/// A learned lower-triangular preconditioner L that a kernel runs in the coordinates y = L⁻¹x of,
/// shared by the proposal-entropy sampler and L2HMC.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ebmc {

/// L copied into raw memory for the fused sampling paths; empty = the identity.
struct PlainFactor {
  std::vector<double> lower;  ///< L [dim, dim] row-major (lower-triangular); empty: L = I
  std::vector<double> upper;  ///< Lᵀ [dim, dim] row-major: L's columns, contiguous
  int64_t dim = 0;
  double log_det = 0;  ///< log |det L|

  bool empty() const { return lower.empty(); }
  /// out = L v for one row (v itself when empty); out must not alias v.
  void times(const double* v, double* out) const;
  /// g ← Lᵀ g for one row, in place.
  void transposed_times(double* g) const;
  /// v ← L⁻¹ v for one row, in place (forward substitution).
  void solve(double* v) const;
  /// g ← L⁻ᵀ g for one row, in place (back substitution).
  void transposed_solve(double* g) const;
};

/// L = (I + tril(cP, −1)) diag(exp(c diag P)), a trainable parameter P of the owning kernel
/// (registered as `factor`; P = 0, L = I at the start). The strictly lower part multiplies the
/// columns' scales (unit-lower × diagonal, as in an LDLᵀ factorization), so that a correlation is
/// learned as a number of order one whatever the scales, and c = 30 because Adam moves every
/// parameter by about the learning rate per iteration while L must travel much farther than the
/// networks' weights (its log-diagonal by ~1 on German credit, ~4.6 on SCG).
/// An absent factor (`identity`) makes every operation the identity.
///
///     ebmc::LearnedFactor factor(*this, dim);  // in a LearnedKernel's constructor
///     torch::Tensor y = factor.solve(x);       // rows x ↦ L⁻¹x
class LearnedFactor {
 public:
  LearnedFactor() = default;
  /// No learned L (L = I) for states of dimension `dim`.
  static LearnedFactor identity(int64_t dim);
  /// Registers P [dim, dim] (zeros) as parameter `factor` of `owner`.
  LearnedFactor(torch::nn::Module& owner, int64_t dim);

  /// Whether there is a learned L (otherwise L = I).
  bool present() const { return raw_.defined(); }
  /// L [dim, dim] (differentiable in P; the identity when absent).
  torch::Tensor matrix() const;
  /// log |det L| = c Σ diag P (a scalar tensor; 0 when absent).
  torch::Tensor log_det() const;
  /// Sets L to `lower` (its strictly upper part is ignored); throws InputError (at `where`) when
  /// absent, for a wrong shape or a diagonal that is not positive.
  void set(const torch::Tensor& lower, const std::string& where);
  /// Sets L to the Cholesky factor of the covariance of `draws` [n, dim] (n ≥ 2; a relative
  /// 1e-10 of the mean variance added on the diagonal); keeps L where that covariance is not
  /// positive definite. Throws InputError (at `where`) when absent.
  void fit(const torch::Tensor& draws, const std::string& where);
  /// Takes P out of training (no gradient; `set` and `fit` still change it).
  void freeze();

  /// Rows z ↦ Lz.
  torch::Tensor times(const torch::Tensor& z) const;
  /// Rows g ↦ Lᵀg (gradients seen in the coordinates y = L⁻¹x).
  torch::Tensor transposed_times(const torch::Tensor& g) const;
  /// Rows x ↦ L⁻¹x (contiguous, as every result here).
  torch::Tensor solve(const torch::Tensor& x) const;
  /// Rows g ↦ L⁻ᵀg (gradients back in x).
  torch::Tensor transposed_solve(const torch::Tensor& g) const;
  /// The current L in raw memory (empty when absent).
  PlainFactor plain() const;

 private:
  /// L for the operations below: `matrix()` while gradients are recorded, otherwise built once
  /// per value of P (sampling maps every transition's rows through it 4–5 times; not handed out,
  /// so that nobody changes it in place).
  torch::Tensor current() const;

  torch::Tensor raw_;  ///< P; undefined when absent
  int64_t dim_ = 0;
  mutable torch::Tensor cached_;  ///< L built without gradient recording
  /// P's storage and version counter when `cached_` was built.
  mutable std::pair<const void*, int64_t> cached_for_{nullptr, -1};
};

}  // namespace ebmc
