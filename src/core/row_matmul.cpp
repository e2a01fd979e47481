#include "ebmc/core/row_matmul.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <stdexcept>

#include "ebmc/core/row_block_matmul.h"

namespace ebmc {

namespace {

/// Rows of out = x · a in parallel chunks; `rows_times_matrix` gives every row the same bits
/// whatever chunk (and block within it) the row falls in.
template <typename T>
void row_products(const T* x, const T* a, T* out, int64_t rows, int64_t k, int64_t n) {
  const int64_t grain = std::max<int64_t>(4, 32768 / std::max<int64_t>(k * n, 1));
  at::parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    rows_times_matrix(x + begin * k, a, out + begin * n, end - begin, k, n);
  });
}

}  // namespace

void row_times_matrix(const double* x, const double* a, double* out, int64_t k, int64_t n) {
  rows_times_matrix(x, a, out, 1, k, n);
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
                 x.size(1), a.size(1));
  } else {
    row_products(xc.data_ptr<float>(), ac.data_ptr<float>(), out.data_ptr<float>(), x.size(0),
                 x.size(1), a.size(1));
  }
  return out;
}

}  // namespace ebmc
