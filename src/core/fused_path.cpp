#include "ebmc/core/fused_path.h"

#include <ATen/Parallel.h>

#include <algorithm>

namespace ebmc {

bool takes_fused_path(const torch::Tensor& x) {
  return x.dim() == 2 && x.device().is_cpu() && x.scalar_type() == torch::kFloat64 &&
         x.is_contiguous() && !(torch::GradMode::is_enabled() && x.requires_grad());
}

bool is_cpu_float64(const torch::Tensor& t, bool any_layout) {
  return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat64 &&
         (any_layout || t.is_contiguous());
}

EnergyAndGrad fused_rows(const Target& target, const torch::Tensor& x, bool with_grad) {
  const int64_t rows = x.size(0), dim = x.size(1);
  torch::Tensor energy = torch::empty({rows}, torch::kFloat64);
  torch::Tensor grad = with_grad ? torch::empty({rows, dim}, torch::kFloat64) : torch::Tensor();
  const double* in = x.data_ptr<double>();
  double* e = energy.data_ptr<double>();
  double* g = with_grad ? grad.data_ptr<double>() : nullptr;
  // About 16k values per task, so that a few small rows stay on the calling thread.
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(dim, 1));
  at::parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      e[r] = target.row_energy(in + r * dim, g == nullptr ? nullptr : g + r * dim);
    }
  });
  return {energy, grad};
}

}  // namespace ebmc
