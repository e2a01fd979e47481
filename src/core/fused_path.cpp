#include "ebmc/core/fused_path.h"

namespace ebmc {

bool takes_fused_path(const torch::Tensor& x) {
  return x.dim() == 2 && x.device().is_cpu() && x.scalar_type() == torch::kFloat64 &&
         x.is_contiguous() && !(torch::GradMode::is_enabled() && x.requires_grad());
}

FusedBuffers fused_buffers(const torch::Tensor& x, bool with_grad) {
  FusedBuffers b;
  b.rows = x.size(0);
  b.dim = x.size(1);
  b.energy = torch::empty({b.rows}, torch::kFloat64);
  b.x = x.data_ptr<double>();
  b.e = b.energy.data_ptr<double>();
  if (with_grad) {
    b.grad = torch::empty({b.rows, b.dim}, torch::kFloat64);
    b.g = b.grad.data_ptr<double>();
  }
  return b;
}

}  // namespace ebmc
