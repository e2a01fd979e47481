#include "ebmc/core/autograd.h"

namespace ebmc {

ValueAndGrad batched_value_and_grad(const std::function<torch::Tensor(const torch::Tensor&)>& f,
                                    const torch::Tensor& x,
                                    const std::function<void(const torch::Tensor&)>& check) {
  // Inside a training graph (x requires grad, grad mode on) the gradient itself must be
  // differentiable: learned kernels backpropagate through ∇U. Elsewhere it is a detached value.
  const bool differentiable = torch::GradMode::is_enabled() && x.requires_grad();
  torch::AutoGradMode enable_grad(true);
  torch::Tensor input = differentiable ? x : x.detach().requires_grad_(true);
  torch::Tensor value = f(input);
  check(value);
  torch::Tensor grad = value.requires_grad()
                           ? torch::autograd::grad({value.sum()}, {input}, {}, differentiable,
                                                   differentiable, true)[0]
                           : torch::Tensor();
  if (!grad.defined()) grad = torch::zeros_like(x);
  if (differentiable) return {value, grad};
  return {value.detach(), grad.detach()};
}

}  // namespace ebmc
