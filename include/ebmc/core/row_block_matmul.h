#pragma once
/// @file row_block_matmul.h
/// Matrix products of a few rows at a time in raw memory, whose rows do not depend on how many
/// rows are evaluated together: the kernels behind `row_matmul` and the learned kernels' fused
/// per-chain networks.
///
/// A network evaluated for one state at a time is a chain of matrix–vector products, each of
/// which streams the whole weight matrix through the cache for one row. Evaluating a block of
/// rows in lockstep lets every load of a weight serve each row of the block; every element is
/// still summed in one fixed order (k ascending), so a row has the same bits alone or in a block.

#include <cstdint>

namespace ebmc {

/// out [rows, n] = x [rows, k] · a [k, n], all row-major, float64: every element is
/// 0 + x₀a₀ + x₁a₁ + … in k order with each product rounded before its sum (no fused
/// multiply-add), so row i has the same bits whatever `rows`, the block it falls in or the
/// instruction set (an AVX2 kernel where the CPU has it, a portable loop otherwise).
void rows_times_matrix(const double* x, const double* a, double* out, int64_t rows, int64_t k,
                       int64_t n);

/// The float32 product with fused multiply-adds: every element is fma(x_{k−1}, a_{k−1}, … fma(x₀,
/// a₀, 0)) in k order. A fused multiply-add is exactly rounded, so the AVX2+FMA kernel and the
/// portable loop (`std::fma`) give the same bits, and so do all row counts. For networks run in
/// float32 (`NetworkPrecision::kFloat32`), where it is twice the float64 kernel's width per
/// instruction and half its memory traffic.
void rows_times_matrix(const float* x, const float* a, float* out, int64_t rows, int64_t k,
                       int64_t n);

namespace detail {
/// The portable loops behind `rows_times_matrix` (what a CPU without AVX2/FMA runs), for tests
/// that check the vector kernels give their bits.
void portable_rows_times_matrix(const double* x, const double* a, double* out, int64_t rows,
                                int64_t k, int64_t n);
void portable_rows_times_matrix(const float* x, const float* a, float* out, int64_t rows, int64_t k,
                                int64_t n);
}  // namespace detail

}  // namespace ebmc
