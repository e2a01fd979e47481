#include "ebmc/core/row_matmul.h"

#include <ATen/Parallel.h>

#include <stdexcept>

namespace ebmc {

namespace {

/// out[i, c] = Σ_j x[i, j] a[j, c], summed with j ascending for every element — the same
/// operations in the same order whatever the row count, the thread or the instruction set, so the
/// AVX2 and the baseline clones below give the same bits. Neither clone enables FMA, so no
/// multiply-add is contracted; an AVX-512 clone would (GCC's avx512f implies fma) and change the
/// last bits, which is why there is none.
/// Columns [c0, c0 + B) of out row = x · a, accumulated in registers (B a compile-time width the
/// compiler unrolls and vectorizes); each element is still 0 + x₀a₀ + x₁a₁ + … in j order.
template <int B, typename T>
inline void product_block(const T* __restrict__ x, const T* __restrict__ a, T* __restrict__ row,
                          int64_t k, int64_t n, int64_t c0) {
  T acc[B] = {};
  for (int64_t j = 0; j < k; ++j) {
    const T xj = x[j];
    const T* __restrict__ a_row = a + j * n + c0;
    for (int b = 0; b < B; ++b) acc[b] += xj * a_row[b];
  }
  for (int b = 0; b < B; ++b) row[c0 + b] = acc[b];
}

template <typename T>
inline void product_rows(const T* x, const T* a, T* out, int64_t begin, int64_t end, int64_t k,
                         int64_t n) {
  for (int64_t i = begin; i < end; ++i) {
    const T* xi = x + i * k;
    T* row = out + i * n;
    int64_t c = 0;
    for (; c + 32 <= n; c += 32) product_block<32>(xi, a, row, k, n, c);
    for (; c + 8 <= n; c += 8) product_block<8>(xi, a, row, k, n, c);
    for (; c < n; ++c) product_block<1>(xi, a, row, k, n, c);
  }
}

__attribute__((target_clones("avx2", "default"))) void product_rows_double(
    const double* x, const double* a, double* out, int64_t begin, int64_t end, int64_t k,
    int64_t n) {
  product_rows(x, a, out, begin, end, k, n);
}

__attribute__((target_clones("avx2", "default"))) void product_rows_float(
    const float* x, const float* a, float* out, int64_t begin, int64_t end, int64_t k, int64_t n) {
  product_rows(x, a, out, begin, end, k, n);
}

template <typename T, typename Kernel>
void row_products(const T* x, const T* a, T* out, int64_t rows, int64_t k, int64_t n,
                  Kernel kernel) {
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(k * n, 1));
  at::parallel_for(0, rows, grain,
                   [&](int64_t begin, int64_t end) { kernel(x, a, out, begin, end, k, n); });
}

}  // namespace

void row_times_matrix(const double* x, const double* a, double* out, int64_t k, int64_t n) {
  product_rows_double(x, a, out, 0, 1, k, n);
}

torch::Tensor row_matmul(const torch::Tensor& x, const torch::Tensor& a) {
  const bool autograd = torch::GradMode::is_enabled() && (x.requires_grad() || a.requires_grad());
  const auto dtype = x.scalar_type();
  if (autograd || x.dim() != 2 || a.dim() != 2 || a.scalar_type() != dtype ||
      (dtype != torch::kFloat64 && dtype != torch::kFloat32) || !x.device().is_cpu()) {
    return x.matmul(a);
  }
  if (x.size(1) != a.size(0)) throw std::invalid_argument("row_matmul: inner sizes differ");
  const torch::Tensor xc = x.contiguous(), ac = a.contiguous();
  torch::Tensor out = torch::empty({x.size(0), a.size(1)}, x.options());
  if (dtype == torch::kFloat64) {
    row_products(xc.data_ptr<double>(), ac.data_ptr<double>(), out.data_ptr<double>(), x.size(0),
                 x.size(1), a.size(1), product_rows_double);
  } else {
    row_products(xc.data_ptr<float>(), ac.data_ptr<float>(), out.data_ptr<float>(), x.size(0),
                 x.size(1), a.size(1), product_rows_float);
  }
  return out;
}

}  // namespace ebmc
