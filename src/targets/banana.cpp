#include "ebmc/targets/banana.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

Banana::Banana(int64_t dim, double curvature) : dim_(dim), b_(curvature) {
  if (dim < 2) throw InputError("d must be >= 2", "banana:d");
  if (!std::isfinite(curvature)) throw InputError("b must be finite", "banana:b");
}

double Banana::row_energy(const double* x, double* grad) const {
  const double x1 = x[0], bent = x[1] - b_ * (x1 * x1 - 100.0);
  double rest = 0.0;
  for (int64_t i = 2; i < dim_; ++i) {
    rest += x[i] * x[i];
    if (grad != nullptr) grad[i] = x[i];
  }
  if (grad != nullptr) {
    grad[0] = x1 / 100.0 - 2.0 * b_ * x1 * bent;
    grad[1] = bent;
  }
  return x1 * x1 / 200.0 + 0.5 * bent * bent + 0.5 * rest;
}

torch::Tensor Banana::compute_energy(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, false).energy;
  torch::Tensor x1 = x.select(1, 0);
  torch::Tensor bent = x.select(1, 1) - b_ * (x1.pow(2) - 100.0);
  torch::Tensor u = x1.pow(2) / 200.0 + 0.5 * bent.pow(2);
  if (dim_ > 2) u = u + 0.5 * x.narrow(1, 2, dim_ - 2).pow(2).sum(1);
  return u;
}

EnergyAndGrad Banana::compute_energy_and_grad(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, true);
  torch::Tensor x1 = x.select(1, 0);
  torch::Tensor bent = x.select(1, 1) - b_ * (x1.pow(2) - 100.0);
  torch::Tensor grad = x.clone();
  grad.select(1, 0).copy_(x1 / 100.0 - 2.0 * b_ * x1 * bent);
  grad.select(1, 1).copy_(bent);
  return {compute_energy(x), grad};
}

EBMC_REGISTER(register_target<BananaOptions>("banana", "Haario's twisted Gaussian",
                                             [](const BananaOptions& o) {
                                               return std::make_unique<Banana>(o.d(), o.b());
                                             }));

}  // namespace ebmc
