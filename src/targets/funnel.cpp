#include "ebmc/targets/funnel.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

Funnel::Funnel(int64_t dim, double sigma) : dim_(dim), sigma_(sigma) {
  if (dim < 2) throw InputError("d must be >= 2", "funnel:d");
  if (!(sigma > 0 && std::isfinite(sigma))) throw InputError("sigma must be > 0", "funnel:sigma");
}

double Funnel::row_energy(const double* x, double* grad) const {
  const double x0 = x[0], inv_var = std::exp(-x0);
  double sum_sq = 0;
  for (int64_t i = 1; i < dim_; ++i) {
    sum_sq += x[i] * x[i];
    if (grad != nullptr) grad[i] = inv_var * x[i];
  }
  const double half_rest = 0.5 * static_cast<double>(dim_ - 1);
  if (grad != nullptr) grad[0] = x0 / (sigma_ * sigma_) - 0.5 * inv_var * sum_sq + half_rest;
  return 0.5 * x0 * x0 / (sigma_ * sigma_) + 0.5 * inv_var * sum_sq + half_rest * x0;
}

torch::Tensor Funnel::compute_energy(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, false).energy;
  torch::Tensor x0 = x.select(1, 0);
  torch::Tensor rest = x.narrow(1, 1, dim_ - 1);
  return 0.5 * x0.pow(2) / (sigma_ * sigma_) + 0.5 * torch::exp(-x0) * rest.pow(2).sum(1) +
         0.5 * static_cast<double>(dim_ - 1) * x0;
}

EnergyAndGrad Funnel::compute_energy_and_grad(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, true);
  torch::Tensor x0 = x.select(1, 0);
  torch::Tensor rest = x.narrow(1, 1, dim_ - 1);
  torch::Tensor inv_var = torch::exp(-x0);
  torch::Tensor sum_sq = rest.pow(2).sum(1);
  torch::Tensor energy = 0.5 * x0.pow(2) / (sigma_ * sigma_) + 0.5 * inv_var * sum_sq +
                         0.5 * static_cast<double>(dim_ - 1) * x0;
  torch::Tensor grad0 =
      x0 / (sigma_ * sigma_) - 0.5 * inv_var * sum_sq + 0.5 * static_cast<double>(dim_ - 1);
  torch::Tensor grad = torch::cat({grad0.unsqueeze(1), inv_var.unsqueeze(1) * rest}, 1);
  return {energy, grad};
}

EBMC_REGISTER(register_target<FunnelOptions>(
    "funnel", "Neal's funnel: x0 ~ N(0, sigma^2), x_i | x0 ~ N(0, e^x0)",
    [](const FunnelOptions& o) { return std::make_unique<Funnel>(o.d(), o.sigma()); }));

EBMC_REGISTER(register_target<NoOptions>("funnel1", "Neal's funnel preset: sigma=1, d=100",
                                         [](const NoOptions&) {
                                           return std::make_unique<Funnel>(100, 1.0);
                                         }));

EBMC_REGISTER(register_target<NoOptions>("funnel3", "Neal's funnel preset: sigma=3, d=20",
                                         [](const NoOptions&) {
                                           return std::make_unique<Funnel>(20, 3.0);
                                         }));

}  // namespace ebmc
