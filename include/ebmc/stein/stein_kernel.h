#pragma once
/// @file stein_kernel.h
/// The Stein kernel of the RBF kernel k(x, y) = exp(−‖x − y‖²/(2h²)) (Liu, Lee & Jordan 2016),
/// the median-heuristic bandwidth, and the result every goodness-of-fit test returns.

#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/core/target.h"

namespace ebmc {

/// ∇log q(x) = −∇U(x) of `model` for x [n, dim] (float64). Throws InputError (`--model`) naming
/// how many rows, and the first, where the score is not finite: no test statistic is computed
/// from it.
torch::Tensor model_score(const Target& model, const torch::Tensor& x);

/// Whether the RBF Stein kernel is computable with bandwidth `h`: finite, > 0, with h⁴ a normal
/// double (the kernel divides by it).
bool computable_bandwidth(double h);

/// Throws InputError (`--kernel`) unless `computable_bandwidth(h)`.
void check_bandwidth(double h);

/// Throws naming the cause unless every entry of `values` — Stein values of `x` with its `score`,
/// by the RBF kernel of bandwidth `h` (0: by a learned critic), called `what` — is finite:
/// squared distances between rows that overflow (InputError at `--data`: rescale the data),
/// scores too large to multiply (`--model`), else (a critic) RunFailed: its training diverged.
void require_finite_kernel(const torch::Tensor& values, const std::string& what,
                           const torch::Tensor& x, const torch::Tensor& score, double h);

/// The median of the pairwise Euclidean distances of the rows of `x` (of its first 1000 rows
/// when there are more): the median heuristic for h.
double median_bandwidth(const torch::Tensor& x);

/// u_q(x_i, x_j) for all pairs, [n, n]: with s = ∇log q, r = x − y and RBF bandwidth h,
/// u_q(x, y) = k(x, y)·(s(x)ᵀs(y) + (s(x) − s(y))ᵀr/h² + D/h² − ‖r‖²/h⁴).
torch::Tensor stein_kernel_matrix(const torch::Tensor& x, const torch::Tensor& score, double h);

/// u_q(x_i, y_i) row by row, [n].
torch::Tensor stein_kernel_rows(const torch::Tensor& x, const torch::Tensor& score_x,
                                const torch::Tensor& y, const torch::Tensor& score_y, double h);

/// What a goodness-of-fit test reports (`ebmc stein … --json`).
struct SteinTestResult {
  std::string test;      ///< ksd, lksd, fssd, lsd
  double statistic = 0;  ///< the test's statistic (KSD: the U-statistic)
  double p_value = 1;    ///< H₀: the data were drawn from the model
  int64_t n = 0;         ///< rows the statistic was computed on
  double bandwidth = 0;  ///< RBF bandwidth h (kernel tests)
  nlohmann::json extra;  ///< test-specific fields (object)
  nlohmann::json to_json() const;
  /// Throws RunFailed unless the statistic and the p-value are finite: no verdict is ever drawn
  /// from a non-finite number. Every test calls it before returning.
  void require_finite() const;
};

/// 1 − Φ(z): the one-sided p-value of a standard-normal statistic.
double upper_normal_tail(double z);

/// Checks that `x` is [n ≥ `minimum_rows`, model.dim()] and finite; InputError at `where`.
void check_test_data(const Target& model, const torch::Tensor& x, int64_t minimum_rows,
                     const std::string& where);

}  // namespace ebmc
