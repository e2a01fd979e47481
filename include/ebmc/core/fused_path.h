#pragma once
/// @file fused_path.h
/// The fused CPU path of analytic targets: energy and gradient in one pass over raw memory for
/// float64 CPU states, instead of a chain of small tensor operations whose fixed cost dominates
/// for a few chains of low dimension. The tensor path stays for autograd graphs, other dtypes and
/// devices; tests compare the two to 1e-12.

#include <torch/torch.h>

#include <cstdint>

namespace ebmc {

/// Whether `x` [chains, dim] may take a target's fused path: float64, on the CPU, contiguous, and
/// no autograd graph wanted through it (grad mode off or `x` not requiring grad).
bool takes_fused_path(const torch::Tensor& x);

/// Output buffers of a fused evaluation of `x` [rows, dim]: `energy` [rows] and, when asked,
/// `grad` [rows, dim], with raw pointers to them and to `x`.
struct FusedBuffers {
  torch::Tensor energy, grad;
  const double* x = nullptr;
  double* e = nullptr;
  double* g = nullptr;
  int64_t rows = 0, dim = 0;
};
FusedBuffers fused_buffers(const torch::Tensor& x, bool with_grad);

}  // namespace ebmc
