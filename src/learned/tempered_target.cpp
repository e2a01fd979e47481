#include "ebmc/learned/tempered_target.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

TemperedTarget::TemperedTarget(const Target& base, double temperature) : base_(base) {
  set_temperature(temperature);
}

void TemperedTarget::set_temperature(double temperature) {
  if (!(temperature > 0 && std::isfinite(temperature))) {
    throw InputError("temperature must be > 0", "anneal");
  }
  temperature_ = temperature;
}

torch::Tensor TemperedTarget::compute_energy(const torch::Tensor& x) const {
  return base_.energy(x) / temperature_;
}

EnergyAndGrad TemperedTarget::compute_energy_and_grad(const torch::Tensor& x) const {
  EnergyAndGrad eg = base_.energy_and_grad(x);
  return {eg.energy / temperature_, eg.grad / temperature_};
}

}  // namespace ebmc
