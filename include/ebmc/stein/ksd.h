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

/// How a KSD test chooses its RBF bandwidth when none is given.
enum class KsdBandwidth {
  kMedian,   ///< the median heuristic on all the data (ebmc's default)
  kLearned,  ///< learned on a held-out split, the test run on the rest (grathwohl-2020 B.1–B.2)
};

/// What a learned bandwidth maximizes on its split.
enum class KsdObjective {
  kPower,        ///< the test power criterion, statistic / its standard error (B.1)
  kDiscrepancy,  ///< the discrepancy itself, for ranking models (B.2)
};

/// Options of the KSD tests.
struct KsdOptions {
  double bandwidth = 0;      ///< RBF bandwidth h; 0 = chosen by `selection`
  int64_t bootstrap = 1000;  ///< wild-bootstrap replicates (quadratic-time test)
  KsdBandwidth selection = KsdBandwidth::kMedian;
  KsdObjective objective = KsdObjective::kPower;
  /// With a learned bandwidth: the leading fraction of the rows it is learned on (the paper's
  /// 200 of 1000); the statistic uses the others.
  double select_fraction = 0.2;
};

/// The bandwidth a learned-bandwidth test uses: of h = m·2^(k/4), k = −24 … 24, around the median
/// heuristic m of `x`, the one that maximizes `objective` of the test's statistic on `x` (the
/// quadratic-time U-statistic, or with `linear` the linear-time mean) — a grid search over log h
/// (the paper does not name its optimizer).
double learned_bandwidth(const Target& model, const torch::Tensor& x, KsdObjective objective,
                         bool linear);

/// KSD²'s U-statistic (1/(n(n−1))) Σ_{i≠j} u_q(xᵢ, xⱼ) of the data `x` [n, dim] under `model`
/// and its wild-bootstrap p-value: replicates (wᵀHw − tr H)/(n(n−1)) with Rademacher w,
/// p = (1 + #{replicate ≥ statistic}) / (1 + replicates). With a learned bandwidth the
/// statistic is computed on the rows after the selection split (`extra.bandwidth_rows` says how many were held out).
SteinTestResult ksd_test(const Target& model, const torch::Tensor& x, const KsdOptions& options,
                         Rng& rng);

/// The linear-time KSD: the mean of u_q over the ⌊n/2⌋ disjoint pairs (x₂ᵢ, x₂ᵢ₊₁), tested by
/// z = √m·mean/sd against the standard normal (one-sided: KSD² > 0 under H₁).
SteinTestResult lksd_test(const Target& model, const torch::Tensor& x, const KsdOptions& options);

}  // namespace ebmc
