#include "ebmc/targets/rough_well.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

RoughWell::RoughWell(int64_t dim, double eta, double period)
    : dim_(dim), eta_(eta), period_(period == 0 ? eta : period) {
  if (dim < 1) throw InputError("d must be >= 1", "rough_well:d");
  if (!(eta > 0 && std::isfinite(eta))) throw InputError("eta must be > 0", "rough_well:eta");
  if (!(period_ > 0 && std::isfinite(period_))) {
    throw InputError("the ripple's period must be > 0", "rough_well");
  }
}

double RoughWell::row_energy(const double* x, double* grad) const {
  double squares = 0.0, waves = 0.0;
  for (int64_t i = 0; i < dim_; ++i) {
    squares += x[i] * x[i];
    waves += std::cos(x[i] / period_);
    if (grad != nullptr) grad[i] = x[i] - eta_ / period_ * std::sin(x[i] / period_);
  }
  return 0.5 * squares + eta_ * waves;
}

torch::Tensor RoughWell::compute_energy(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, false).energy;
  return 0.5 * x.pow(2).sum(1) + eta_ * torch::cos(x / period_).sum(1);
}

EnergyAndGrad RoughWell::compute_energy_and_grad(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, true);
  return {compute_energy(x), x - eta_ / period_ * torch::sin(x / period_)};
}

EBMC_REGISTER(register_target<RoughWellOptions>(
    "rough_well", "1/2 x'x + eta sum cos(x_i/eta)", [](const RoughWellOptions& o) {
      const double period = o.variant() == "released" ? o.eta() * o.eta() : o.eta();
      return std::make_unique<RoughWell>(o.d(), o.eta(), period);
    }));

}  // namespace ebmc
