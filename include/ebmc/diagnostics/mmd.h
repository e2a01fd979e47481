#pragma once
/// @file mmd.h
/// Maximum mean discrepancy between two sample sets (Gretton et al. 2012).

#include <torch/torch.h>

namespace ebmc {

/// The exponentiated average-Hamming kernel of the Gibbs-With-Gradients paper (appendix E.1):
/// k(x, y) = exp(−(1/D) Σ_i 1[x_i ≠ y_i]) for binary samples [n, D] and [m, D]; returns [n, m].
torch::Tensor exp_hamming_kernel(const torch::Tensor& x, const torch::Tensor& y);

/// The biased (V-statistic) estimate of MMD² with the exponentiated Hamming kernel:
/// mean k(x, x′) + mean k(y, y′) − 2 mean k(x, y). Non-negative, 0 for identical sets.
///
///     double d = ebmc::mmd_squared(samples, ground_truth);
double mmd_squared(const torch::Tensor& x, const torch::Tensor& y);

}  // namespace ebmc
