#pragma once
/// @file langevin.h
/// The preconditioned Langevin proposal shared by ULA and MALA.

#include <torch/torch.h>

#include "ebmc/core/rng.h"
#include "ebmc/samplers/metric.h"

namespace ebmc {

/// Mean of the Langevin proposal from x: x − (ε²/2) M⁻¹ ∇U(x). `step` is [chains].
torch::Tensor langevin_mean(const torch::Tensor& x, const torch::Tensor& grad,
                            const torch::Tensor& step, const DiagonalMetric& metric);

/// A draw x' = mean + ε (M⁻¹)^{1/2} ξ, ξ ~ N(0, I).
torch::Tensor langevin_sample(const torch::Tensor& mean, const torch::Tensor& step,
                              const DiagonalMetric& metric, Rng& rng);

/// log q(to | from) up to a constant that cancels in the MH ratio (same ε and metric both ways):
/// −‖(M⁻¹)^{-1/2}(to − mean_from)‖² / (2ε²), per chain.
torch::Tensor langevin_log_density(const torch::Tensor& to, const torch::Tensor& mean_from,
                                   const torch::Tensor& step, const DiagonalMetric& metric);

}  // namespace ebmc
