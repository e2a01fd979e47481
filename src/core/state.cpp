#include "ebmc/core/state.h"

namespace ebmc {

torch::Tensor where_rows(const torch::Tensor& mask, const torch::Tensor& a,
                         const torch::Tensor& b) {
  if (!b.defined()) return b;
  torch::Tensor m = mask;
  while (m.dim() < b.dim()) m = m.unsqueeze(-1);
  return torch::where(m, a, b);
}

void select_rows(State& current, const State& proposal, const torch::Tensor& accepted) {
  current.x = where_rows(accepted, proposal.x, current.x);
  current.energy = where_rows(accepted, proposal.energy, current.energy);
  current.grad = where_rows(accepted, proposal.grad, current.grad);
}

}  // namespace ebmc
