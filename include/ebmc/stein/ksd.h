#pragma once
/// @file ksd.h
/// Kernelized Stein discrepancy goodness-of-fit tests (Liu, Lee & Jordan 2016): the
/// quadratic-time U-statistic with a wild-bootstrap p-value (Chwialkowski et al. 2016) and the
/// linear-time estimate (LKSD) with a normal p-value.

#include <torch/torch.h>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/stein/stein_kernel.h"

namespace ebmc {

/// Options of the KSD tests.
struct KsdOptions {
  double bandwidth = 0;      ///< RBF bandwidth h; 0 = the median heuristic on the data
  int64_t bootstrap = 1000;  ///< wild-bootstrap replicates (quadratic-time test)
};

/// KSD²'s U-statistic (1/(n(n−1))) Σ_{i≠j} u_q(xᵢ, xⱼ) of the data `x` [n, dim] under `model`
/// and its wild-bootstrap p-value: replicates (wᵀHw − tr H)/(n(n−1)) with Rademacher w,
/// p = (1 + #{replicate ≥ statistic}) / (1 + replicates).
SteinTestResult ksd_test(const Target& model, const torch::Tensor& x, const KsdOptions& options,
                         Rng& rng);

/// The linear-time KSD: the mean of u_q over the ⌊n/2⌋ disjoint pairs (x₂ᵢ, x₂ᵢ₊₁), tested by
/// z = √m·mean/sd against the standard normal (one-sided: KSD² > 0 under H₁).
SteinTestResult lksd_test(const Target& model, const torch::Tensor& x, const KsdOptions& options);

}  // namespace ebmc
