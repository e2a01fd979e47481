#include "ebmc/core/row_matmul.h"

#include <ATen/Parallel.h>

#include <stdexcept>

namespace ebmc {

namespace {

/// out[i, c] = Σ_j x[i, j] a[j, c], summed with j ascending for every element — the same
/// operations in the same order whatever the row count, the thread or the instruction set (no
/// FMA contraction: the build is ISO C++, -ffp-contract=off), so the AVX2 and the baseline
/// clones below give the same bits.
template <typename T>
inline void product_rows(const T* x, const T* a, T* out, int64_t begin, int64_t end, int64_t k,
                         int64_t n) {
  for (int64_t i = begin; i < end; ++i) {
    T* __restrict__ row = out + i * n;
    std::fill(row, row + n, T(0));
    for (int64_t j = 0; j < k; ++j) {
      const T xij = x[i * k + j];
      const T* __restrict__ a_row = a + j * n;
      for (int64_t c = 0; c < n; ++c) row[c] += xij * a_row[c];
    }
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
