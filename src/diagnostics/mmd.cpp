#include "ebmc/diagnostics/mmd.h"

#include <stdexcept>

namespace ebmc {

torch::Tensor exp_hamming_kernel(const torch::Tensor& x, const torch::Tensor& y) {
  if (x.dim() != 2 || y.dim() != 2 || x.size(1) != y.size(1)) {
    throw std::invalid_argument("exp_hamming_kernel needs [n, D] and [m, D] samples");
  }
  // For 0/1 data, #differences = Σx + Σy − 2 x·y.
  const torch::Tensor a = x.to(torch::kFloat64), b = y.to(torch::kFloat64);
  const torch::Tensor differ =
      a.sum(1, true) + b.sum(1).unsqueeze(0) - 2.0 * torch::matmul(a, b.t());
  return torch::exp(-differ / static_cast<double>(x.size(1)));
}

double mmd_squared(const torch::Tensor& x, const torch::Tensor& y) {
  const double value = exp_hamming_kernel(x, x).mean().item<double>() +
                       exp_hamming_kernel(y, y).mean().item<double>() -
                       2.0 * exp_hamming_kernel(x, y).mean().item<double>();
  return value < 0 ? 0.0 : value;  // rounding can leave −1e-17 for identical sets
}

}  // namespace ebmc
