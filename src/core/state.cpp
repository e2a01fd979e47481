#include "ebmc/core/state.h"

namespace ebmc {

namespace {

torch::Tensor select(const torch::Tensor& accepted, const torch::Tensor& proposal,
                     const torch::Tensor& current) {
  if (!current.defined()) return current;
  torch::Tensor mask = accepted;
  while (mask.dim() < current.dim()) mask = mask.unsqueeze(-1);
  return torch::where(mask, proposal, current);
}

}  // namespace

void select_rows(State& current, const State& proposal, const torch::Tensor& accepted) {
  current.x = select(accepted, proposal.x, current.x);
  current.energy = select(accepted, proposal.energy, current.energy);
  current.grad = select(accepted, proposal.grad, current.grad);
}

}  // namespace ebmc
