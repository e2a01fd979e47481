#include "ebmc/core/autograd.h"

namespace ebmc {

ValueAndGrad batched_value_and_grad(const std::function<torch::Tensor(const torch::Tensor&)>& f,
                                    const torch::Tensor& x,
                                    const std::function<void(const torch::Tensor&)>& check) {
  torch::AutoGradMode enable_grad(true);
  torch::Tensor leaf = x.detach().requires_grad_(true);
  torch::Tensor value = f(leaf);
  check(value);
  torch::Tensor grad = value.requires_grad()
                           ? torch::autograd::grad({value.sum()}, {leaf}, {}, false, false, true)[0]
                           : torch::Tensor();
  if (!grad.defined()) grad = torch::zeros_like(x);
  return {value.detach(), grad.detach()};
}

}  // namespace ebmc
