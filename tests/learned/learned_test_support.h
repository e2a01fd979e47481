#pragma once
// Helpers for the learned-kernel tests: non-trivial networks and autograd Jacobians.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"
#include "ebmc/core/target.h"
#include "ebmc/learned/entropy_sampler.h"
#include "ebmc/learned/learned_kernel.h"
#include "test_support.h"

namespace ebmc::testing {

/// Adds N(0, scale²) noise from `rng` to every parameter but a preconditioner's (set that with
/// `random_lower_factor`), so that S, Q, T (and R) are far from zero and the invertibility and
/// log-det checks exercise every term. The draws do not depend on whether there is a
/// preconditioner.
inline void perturb_parameters(LearnedKernel& kernel, double scale, Rng& rng) {
  torch::NoGradGuard no_grad;
  for (auto& p : kernel.named_parameters()) {
    if (p.key() != "factor") p.value().add_(scale * rng.normal(p.value().sizes()));
  }
}

/// A lower-triangular L [d, d] far from the identity but well conditioned: N(0, scale²) below the
/// diagonal, exp N(0, scale²) on it.
inline torch::Tensor random_lower_factor(int64_t d, double scale, Rng& rng) {
  return torch::tril(scale * rng.normal({d, d}), -1) +
         torch::diag(torch::exp(scale * rng.normal({d})));
}

/// `perturb_parameters`, and a `random_lower_factor` as preconditioner when the sampler has one.
inline void perturb_entropy_sampler(EntropySampler& kernel, double scale, Rng& rng) {
  perturb_parameters(kernel, scale, rng);
  if (!kernel.options_json().value("precondition", false)) return;
  kernel.set_factor(random_lower_factor(kernel.dim(), scale, rng));
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

/// The chains' states after `transitions` steps of `kernel` from `x0` [chains, dim] on `target`
/// with per-chain streams (seed 17): the fused path where the target has one.
inline torch::Tensor chains_after(LearnedKernel& kernel, const Target& target,
                                  const torch::Tensor& x0, int64_t transitions) {
  State state = kernel.init(target, x0);
  Rng rng(17, ChainStreams{0, x0.size(0)});
  for (int64_t t = 0; t < transitions; ++t) {
    kernel.step(state, rng);
    rng.next_transition();
  }
  return state.x;
}

/// The states of chains [0, 5) after `transitions` fused steps of `kernel` from the first
/// `chains` rows of `x0`: a chain's moves must not depend on the block it falls in.
inline torch::Tensor first_five_after(LearnedKernel& kernel, const Target& target,
                                      const torch::Tensor& x0, int64_t chains,
                                      int64_t transitions) {
  return chains_after(kernel, target, x0.narrow(0, 0, chains), transitions).narrow(0, 0, 5);
}

/// Runs `transitions` steps of `kernel` from `x0` on `target` twice with the same per-chain
/// streams: through its fused per-chain path (the target has `row_energy`) and through its tensor
/// path (the same target without it). Expects the same decisions and states equal to rounding.
inline void expect_fused_path_matches_tensor_path(LearnedKernel& kernel, const Target& target,
                                                  const torch::Tensor& x0, int64_t transitions) {
  ASSERT_TRUE(target.has_row_energy());
  const WithoutRowEnergy tensor_only(target);
  const ChainStreams streams{0, x0.size(0)};
  auto run = [&](const Target& on, std::vector<Info>& infos) {
    State state = kernel.init(on, x0);
    Rng rng(31, streams);
    for (int64_t t = 0; t < transitions; ++t) {
      infos.push_back(kernel.step(state, rng));
      rng.next_transition();
    }
    return state;
  };
  std::vector<Info> fused_infos, tensor_infos;
  const State fused = run(target, fused_infos);
  const State tensor = run(tensor_only, tensor_infos);
  double accepted = 0;  // summed mean acceptance probability
  for (int64_t t = 0; t < transitions; ++t) {
    const Info& f = fused_infos[static_cast<size_t>(t)];
    const Info& r = tensor_infos[static_cast<size_t>(t)];
    EXPECT_TRUE(torch::equal(f.accepted, r.accepted)) << "transition " << t;
    EXPECT_TRUE(torch::allclose(f.accept_prob, r.accept_prob, 1e-9, 1e-12)) << "transition " << t;
    EXPECT_EQ(f.gradient_evals, r.gradient_evals);
    EXPECT_EQ(f.energy_evals, r.energy_evals);
    accepted += f.accept_prob.mean().item<double>();
  }
  EXPECT_GT(accepted, 0.01 * static_cast<double>(transitions));  // finite ratios were compared
  EXPECT_TRUE(torch::allclose(fused.x, tensor.x, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fused.energy, tensor.energy, 1e-10, 1e-12));
  if (fused.grad.defined()) {
    EXPECT_TRUE(torch::allclose(fused.grad, tensor.grad, 1e-10, 1e-12));
  }
}

}  // namespace ebmc::testing
