#include "ebmc/targets/mixture.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

GaussianMixture::GaussianMixture(torch::Tensor means, torch::Tensor scales, torch::Tensor weights,
                                 std::string name)
    : means_(means.to(torch::kFloat64).contiguous()),
      scales_(scales.to(torch::kFloat64).contiguous()),
      weights_(weights.to(torch::kFloat64).contiguous()),
      name_(std::move(name)) {
  if (means_.dim() != 2 || scales_.dim() != 1 || weights_.dim() != 1 ||
      scales_.size(0) != means_.size(0) || weights_.size(0) != means_.size(0) ||
      means_.size(0) < 1) {
    throw InputError("means must be [K, D], scales and weights [K]", name_);
  }
  if (!((scales_ > 0).all().item<bool>() && torch::isfinite(scales_).all().item<bool>())) {
    throw InputError("every scale must be finite and > 0", name_);
  }
  if (!((weights_ > 0).all().item<bool>() && torch::isfinite(weights_).all().item<bool>())) {
    throw InputError("every weight must be finite and > 0", name_);
  }
  weights_ = weights_ / weights_.sum();
}

torch::Tensor GaussianMixture::component_log_densities(const torch::Tensor& diff) const {
  torch::Tensor var = scales_.to(diff.dtype()).pow(2);
  return torch::log(weights_.to(diff.dtype())) - 0.5 * diff.pow(2).sum(2) / var -
         0.5 * static_cast<double>(dim()) * torch::log(2.0 * M_PI * var);
}

double GaussianMixture::row_energy(const double* x, double* grad) const {
  // Component log-densities, their log-sum-exp and, for ∇U, the responsibilities.
  const int64_t k = means_.size(0), d = means_.size(1);
  const double* mu = means_.data_ptr<double>();
  const double* s = scales_.data_ptr<double>();
  const double* w = weights_.data_ptr<double>();
  thread_local std::vector<double> log_components;
  log_components.resize(static_cast<size_t>(k));
  double top = -std::numeric_limits<double>::infinity();
  for (int64_t c = 0; c < k; ++c) {
    const double var = s[c] * s[c];
    double squares = 0.0;
    for (int64_t i = 0; i < d; ++i) {
      const double diff = x[i] - mu[c * d + i];
      squares += diff * diff;
    }
    log_components[c] = std::log(w[c]) - 0.5 * squares / var -
                        0.5 * static_cast<double>(d) * std::log(2.0 * M_PI * var);
    top = std::max(top, log_components[c]);
  }
  double sum = 0.0;
  for (int64_t c = 0; c < k; ++c) sum += std::exp(log_components[c] - top);
  const double log_norm = top + std::log(sum);
  if (grad != nullptr) {
    std::fill(grad, grad + d, 0.0);
    for (int64_t c = 0; c < k; ++c) {
      const double weight = std::exp(log_components[c] - log_norm) / (s[c] * s[c]);
      for (int64_t i = 0; i < d; ++i) grad[i] += weight * (x[i] - mu[c * d + i]);
    }
  }
  return -log_norm;
}

torch::Tensor GaussianMixture::compute_energy(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, false).energy;
  torch::Tensor diff = x.unsqueeze(1) - means_.to(x.dtype()).unsqueeze(0);  // [B, K, D]
  return -torch::logsumexp(component_log_densities(diff), 1);
}

EnergyAndGrad GaussianMixture::compute_energy_and_grad(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, true);
  torch::Tensor diff = x.unsqueeze(1) - means_.to(x.dtype()).unsqueeze(0);  // [B, K, D]
  torch::Tensor log_components = component_log_densities(diff);
  torch::Tensor log_norm = torch::logsumexp(log_components, 1, true);
  torch::Tensor responsibilities = torch::exp(log_components - log_norm);  // [B, K]
  torch::Tensor var = scales_.to(x.dtype()).pow(2);
  torch::Tensor grad = ((responsibilities / var).unsqueeze(2) * diff).sum(1);
  return {-log_norm.squeeze(1), grad};
}

torch::Tensor GaussianMixture::exact_mean() const {
  return (weights_.unsqueeze(1) * means_).sum(0);
}

torch::Tensor GaussianMixture::exact_variance() const {
  torch::Tensor second =
      (weights_.unsqueeze(1) * (means_.pow(2) + scales_.pow(2).unsqueeze(1))).sum(0);
  return second - exact_mean().pow(2);
}

torch::Tensor GaussianMixture::sample_exact(int64_t n, Rng& rng) const {
  const torch::Tensor cumulative = weights_.cumsum(0);
  const torch::Tensor u = rng.uniform({n}) * cumulative[-1];
  const torch::Tensor k = torch::searchsorted(cumulative, u, /*out_int32=*/false, /*right=*/true)
                              .clamp_max(means_.size(0) - 1);
  return means_.index_select(0, k) +
         scales_.index_select(0, k).unsqueeze(1) * rng.normal({n, dim()});
}

torch::Tensor GaussianMixture::nearest_component(const torch::Tensor& x) const {
  return torch::cdist(x.to(torch::kFloat64), means_).argmin(1);
}

GaussianMixture two_mode_mixture(double distance, double variance, double weight) {
  if (!(distance > 0) || !(variance > 0) || !(weight > 0 && weight < 1)) {
    throw InputError("need distance > 0, variance > 0 and 0 < weight < 1", "mog");
  }
  torch::Tensor means = torch::tensor({{-distance / 2, 0.0}, {distance / 2, 0.0}}, torch::kFloat64);
  return GaussianMixture(means, torch::full({2}, std::sqrt(variance), torch::kFloat64),
                         torch::tensor({weight, 1.0 - weight}, torch::kFloat64), "mog");
}

GaussianMixture ring_mixture(int64_t modes, double radius, double scale) {
  if (modes < 2 || !(radius > 0) || !(scale > 0)) {
    throw InputError("need modes >= 2, radius > 0 and scale > 0", "ring");
  }
  torch::Tensor angles =
      torch::arange(modes, torch::kFloat64) * (2.0 * M_PI / static_cast<double>(modes));
  torch::Tensor means = torch::stack({radius * torch::cos(angles), radius * torch::sin(angles)}, 1);
  return GaussianMixture(means, torch::full({modes}, scale, torch::kFloat64),
                         torch::ones({modes}, torch::kFloat64), "ring");
}

EBMC_REGISTER(register_target<MogOptions>("mog", "L2HMC's two-mode mixture in 2-d",
                                          [](const MogOptions& o) {
                                            return std::make_unique<GaussianMixture>(
                                                two_mode_mixture(o.distance(), o.variance(),
                                                                 o.weight()));
                                          }));

EBMC_REGISTER(register_target<RingOptions>("ring", "equal modes on a circle in 2-d",
                                           [](const RingOptions& o) {
                                             return std::make_unique<GaussianMixture>(
                                                 ring_mixture(o.modes(), o.radius(), o.scale()));
                                           }));

}  // namespace ebmc
