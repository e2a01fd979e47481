#pragma once
/// @file row_matmul.h
/// A matrix product whose rows do not depend on how many rows there are.

#include <torch/torch.h>

namespace ebmc {

/// `x.matmul(a)` for x [M, K] and a [K, N], computed row by row with one fixed sequence of
/// multiply-adds (k ascending), in parallel over rows: row i of the result has the same bits
/// whatever M and the number of threads. BLAS (OpenBLAS) does not promise that — its kernels for a
/// few rows and its thread partitions differ in the last bits — and a chain's draws must not
/// depend on how many chains run beside it (a NUTS batch integrates only its still-building
/// chains). float32 products use fused multiply-adds (see `rows_times_matrix`). Falls back to
/// `torch::matmul` when autograd needs the product or for other dtypes.
torch::Tensor row_matmul(const torch::Tensor& x, const torch::Tensor& a);

/// One row of `row_matmul` in raw memory: out [n] = x [k] · a [k, n] (a row-major), the same bits
/// as that row of `row_matmul(x, a)`. For fused per-state paths (`Target::row_energy`).
void row_times_matrix(const double* x, const double* a, double* out, int64_t k, int64_t n);

}  // namespace ebmc
