#pragma once
// Helpers for the learned-kernel tests: non-trivial networks and autograd Jacobians.

#include <torch/torch.h>

#include <functional>

#include "ebmc/core/rng.h"
#include "ebmc/learned/learned_kernel.h"

namespace ebmc::testing {

/// Adds N(0, scale²) noise from `rng` to every parameter, so that S, Q, T (and R) are far from
/// zero and the invertibility and log-det checks exercise every term.
inline void perturb_parameters(LearnedKernel& kernel, double scale, Rng& rng) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& p : kernel.parameters()) p.add_(scale * rng.normal(p.sizes()));
}

/// log|det ∂f/∂u| at `u` [n] for f: Rⁿ → Rⁿ, from the full autograd Jacobian.
inline double autograd_log_abs_det(const std::function<torch::Tensor(const torch::Tensor&)>& f,
                                   const torch::Tensor& u) {
  torch::Tensor input = u.detach().clone().requires_grad_(true);
  torch::Tensor output = f(input);
  const int64_t n = u.size(0);
  torch::Tensor jacobian = torch::zeros({n, n}, torch::kFloat64);
  for (int64_t i = 0; i < n; ++i) {
    jacobian[i] = torch::autograd::grad({output[i]}, {input}, {}, true)[0];
  }
  return std::get<1>(torch::linalg::slogdet(jacobian)).item<double>();
}

}  // namespace ebmc::testing
