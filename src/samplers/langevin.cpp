#include "ebmc/samplers/langevin.h"

namespace ebmc {

torch::Tensor langevin_mean(const torch::Tensor& x, const torch::Tensor& grad,
                            const torch::Tensor& step, const DiagonalMetric& metric) {
  torch::Tensor eps = step.unsqueeze(1);
  return x - (0.5 * eps * eps) * metric.velocity(grad);
}

torch::Tensor langevin_sample(const torch::Tensor& mean, const torch::Tensor& step,
                              const DiagonalMetric& metric, Rng& rng) {
  return mean + step.unsqueeze(1) * torch::sqrt(metric.inverse) * rng.normal(mean.sizes());
}

torch::Tensor langevin_log_density(const torch::Tensor& to, const torch::Tensor& mean_from,
                                   const torch::Tensor& step, const DiagonalMetric& metric) {
  torch::Tensor diff = to - mean_from;
  return -(diff * diff / metric.inverse).sum(1) / (2.0 * step * step);
}

}  // namespace ebmc
