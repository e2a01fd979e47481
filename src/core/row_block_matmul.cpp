#include "ebmc/core/row_block_matmul.h"

#include <immintrin.h>

#include <cmath>

namespace ebmc {

namespace {

// The vector kernels tile the output into blocks of R ≤ 4 rows × 8/R vectors of columns (up to
// 2 for 3 rows), held in 8 accumulator registers; each step of k loads the tile's weight vectors
// once and broadcasts one x per row. Columns left over (fewer than one vector) and the portable
// loops run the same per-element sequence in scalar code.

/// Vectors of columns per tile for R rows: 8 accumulators, so that independent sums hide the
/// adder's latency however few rows there are.
constexpr int vectors_per_tile(int rows) { return rows == 1 ? 8 : rows == 2 ? 4 : 2; }

/// Whether the CPU runs the vector kernels (checked once).
bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
bool cpu_has_avx2_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

/// Rows [0, R) × columns [c0, c0 + 4V) of out = x · a in float64: acc += x·a, product rounded
/// first (this function's target has no FMA, so nothing is contracted).
template <int R, int V>
__attribute__((target("avx2"), always_inline)) inline void tile_f64(const double* x,
                                                                    const double* a, double* out,
                                                                    int64_t k, int64_t n,
                                                                    int64_t c0) {
  __m256d acc[R][V];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) acc[r][v] = _mm256_setzero_pd();
  }
  for (int64_t j = 0; j < k; ++j) {
    __m256d w[V];
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) w[v] = _mm256_loadu_pd(a + j * n + c0 + 4 * v);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const __m256d xb = _mm256_set1_pd(x[r * k + j]);
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) acc[r][v] = _mm256_add_pd(acc[r][v], _mm256_mul_pd(xb, w[v]));
    }
  }
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) _mm256_storeu_pd(out + r * n + c0 + 4 * v, acc[r][v]);
  }
}

/// The same for float32 with fused multiply-adds.
template <int R, int V>
__attribute__((target("avx2,fma"), always_inline)) inline void tile_f32(const float* x,
                                                                        const float* a, float* out,
                                                                        int64_t k, int64_t n,
                                                                        int64_t c0) {
  __m256 acc[R][V];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) acc[r][v] = _mm256_setzero_ps();
  }
  for (int64_t j = 0; j < k; ++j) {
    __m256 w[V];
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) w[v] = _mm256_loadu_ps(a + j * n + c0 + 8 * v);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const __m256 xb = _mm256_set1_ps(x[r * k + j]);
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) acc[r][v] = _mm256_fmadd_ps(xb, w[v], acc[r][v]);
    }
  }
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) _mm256_storeu_ps(out + r * n + c0 + 8 * v, acc[r][v]);
  }
}

/// One output element's scalar sequence: Σ_j x[j]·a[j·n], products rounded before the sum.
inline double column_f64(const double* x, const double* a, int64_t k, int64_t n) {
  double acc = 0;
  for (int64_t j = 0; j < k; ++j) acc += x[j] * a[j * n];
  return acc;
}

/// The float32 element: fused multiply-adds in j order.
inline float column_f32(const float* x, const float* a, int64_t k, int64_t n) {
  float acc = 0;
  for (int64_t j = 0; j < k; ++j) acc = std::fma(x[j], a[j * n], acc);
  return acc;
}

template <int R>
__attribute__((target("avx2"))) void block_rows_f64(const double* x, const double* a, double* out,
                                                    int64_t k, int64_t n) {
  constexpr int kVectors = vectors_per_tile(R);
  int64_t c = 0;
  for (; c + 4 * kVectors <= n; c += 4 * kVectors) tile_f64<R, kVectors>(x, a, out, k, n, c);
  for (; c + 4 <= n; c += 4) tile_f64<R, 1>(x, a, out, k, n, c);
  for (; c < n; ++c) {
    for (int r = 0; r < R; ++r) out[r * n + c] = column_f64(x + r * k, a + c, k, n);
  }
}

template <int R>
__attribute__((target("avx2,fma"))) void block_rows_f32(const float* x, const float* a, float* out,
                                                        int64_t k, int64_t n) {
  constexpr int kVectors = vectors_per_tile(R);
  int64_t c = 0;
  for (; c + 8 * kVectors <= n; c += 8 * kVectors) tile_f32<R, kVectors>(x, a, out, k, n, c);
  for (; c + 8 <= n; c += 8) tile_f32<R, 1>(x, a, out, k, n, c);
  for (; c < n; ++c) {
    for (int r = 0; r < R; ++r) out[r * n + c] = column_f32(x + r * k, a + c, k, n);
  }
}

/// Runs `block<R>` over the rows in blocks of 4 and the 1–3 rows left.
template <typename T, typename Block4, typename Block3, typename Block2, typename Block1>
void over_row_blocks(const T* x, const T* a, T* out, int64_t rows, int64_t k, int64_t n, Block4 b4,
                     Block3 b3, Block2 b2, Block1 b1) {
  int64_t i = 0;
  for (; i + 4 <= rows; i += 4) b4(x + i * k, a, out + i * n, k, n);
  switch (rows - i) {
    case 3:
      b3(x + i * k, a, out + i * n, k, n);
      break;
    case 2:
      b2(x + i * k, a, out + i * n, k, n);
      break;
    case 1:
      b1(x + i * k, a, out + i * n, k, n);
      break;
    default:
      break;
  }
}

}  // namespace

namespace detail {

void portable_rows_times_matrix(const double* x, const double* a, double* out, int64_t rows,
                                int64_t k, int64_t n) {
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t c = 0; c < n; ++c) out[i * n + c] = column_f64(x + i * k, a + c, k, n);
  }
}

void portable_rows_times_matrix(const float* x, const float* a, float* out, int64_t rows, int64_t k,
                                int64_t n) {
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t c = 0; c < n; ++c) out[i * n + c] = column_f32(x + i * k, a + c, k, n);
  }
}

}  // namespace detail

void rows_times_matrix(const double* x, const double* a, double* out, int64_t rows, int64_t k,
                       int64_t n) {
  if (!cpu_has_avx2()) return detail::portable_rows_times_matrix(x, a, out, rows, k, n);
  over_row_blocks(x, a, out, rows, k, n, block_rows_f64<4>, block_rows_f64<3>, block_rows_f64<2>,
                  block_rows_f64<1>);
}

void rows_times_matrix(const float* x, const float* a, float* out, int64_t rows, int64_t k,
                       int64_t n) {
  if (!cpu_has_avx2_fma()) return detail::portable_rows_times_matrix(x, a, out, rows, k, n);
  over_row_blocks(x, a, out, rows, k, n, block_rows_f32<4>, block_rows_f32<3>, block_rows_f32<2>,
                  block_rows_f32<1>);
}

}  // namespace ebmc
