#pragma once
/// @file autograd.h
/// The per-chain gradient of a batched scalar function by autograd, shared by the continuous and
/// discrete targets' default gradients.

#include <torch/torch.h>

#include <functional>

namespace ebmc {

/// A batched function's values [chains] and their gradients (shaped like the input).
struct ValueAndGrad {
  torch::Tensor value;
  torch::Tensor grad;
};

/// Evaluates `f` on a detached copy of `x` that requires grad and returns f(x) with ∂f/∂x.
/// Chains are independent, so the gradient of Σ f is each chain's own gradient. `check` sees
/// the value before differentiation (to reject a malformed output with a clear message); an
/// output that does not depend on x has a zero gradient. When `x` requires grad and grad mode is
/// on (training a learned kernel), the result stays in the graph (create_graph), so that losses
/// can differentiate through ∇f; otherwise both are detached.
ValueAndGrad batched_value_and_grad(const std::function<torch::Tensor(const torch::Tensor&)>& f,
                                    const torch::Tensor& x,
                                    const std::function<void(const torch::Tensor&)>& check);

}  // namespace ebmc
