#include "ebmc/samplers/metric.h"

namespace ebmc {

DiagonalMetric DiagonalMetric::identity(int64_t chains, int64_t dim) {
  return {torch::ones({chains, dim}, torch::kFloat64)};
}

torch::Tensor DiagonalMetric::sample_momentum(const torch::Tensor& x, Rng& rng) const {
  return rng.normal(x.sizes()) * torch::rsqrt(inverse);
}

torch::Tensor DiagonalMetric::kinetic_energy(const torch::Tensor& p) const {
  return 0.5 * (p * p * inverse).sum(1);
}

torch::Tensor DiagonalMetric::velocity(const torch::Tensor& p) const { return inverse * p; }

}  // namespace ebmc
