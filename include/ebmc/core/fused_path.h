#pragma once
/// @file fused_path.h
/// The fused CPU path of analytic targets: energy and gradient in one pass over raw memory for
/// float64 CPU states, instead of a chain of small tensor operations whose fixed cost dominates
/// for a few chains of low dimension. A target with a fused path implements
/// `Target::row_energy` (one state) and routes its batched evaluation through `fused_rows`, so
/// per-chain kernels and batched ones see the same bits. The tensor path stays for autograd
/// graphs, other dtypes and devices; tests compare the two to 1e-12.

#include <torch/torch.h>

#include "ebmc/core/target.h"

namespace ebmc {

/// Whether `x` [chains, dim] may take a target's fused path: float64, on the CPU, contiguous, and
/// no autograd graph wanted through it (grad mode off or `x` not requiring grad).
bool takes_fused_path(const torch::Tensor& x);

/// Whether `t` is a defined float64 CPU tensor, contiguous unless `any_layout`: what raw-memory
/// kernels read and write (state parts, tunings, statistics).
bool is_cpu_float64(const torch::Tensor& t, bool any_layout = false);

/// `target.row_energy` of every row of `x` [rows, dim] (which must take the fused path): energy
/// [rows] and, when `with_grad`, the gradient [rows, dim]. Rows run in parallel for large
/// batches, each on one thread, so the result does not depend on the thread count.
EnergyAndGrad fused_rows(const Target& target, const torch::Tensor& x, bool with_grad);

}  // namespace ebmc
