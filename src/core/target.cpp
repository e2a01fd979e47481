#include "ebmc/core/target.h"

#include <sstream>
#include <stdexcept>

#include "ebmc/core/autograd.h"
#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

std::string shape_string(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

}  // namespace

std::vector<std::string> Target::parameter_names() const {
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(dim()));
  for (int64_t i = 1; i <= dim(); ++i) names.push_back("x." + std::to_string(i));
  return names;
}

void Target::check_batch(const torch::Tensor& x) const {
  if (!x.defined()) throw InputError("undefined state tensor", name());
  if (x.dim() != 2 || x.size(1) != dim()) {
    throw InputError(
        "state must have shape [chains, " + std::to_string(dim()) + "], got " + shape_string(x),
        name());
  }
  if (!x.is_floating_point()) {
    throw InputError("state must be a floating-point tensor", name());
  }
}

void Target::check_energy(const torch::Tensor& energy, int64_t chains) const {
  if (!energy.defined() || energy.dim() != 1 || energy.size(0) != chains) {
    throw std::logic_error("target '" + name() + "' returned an energy of shape " +
                           (energy.defined() ? shape_string(energy) : std::string("<undefined>")) +
                           ", expected [" + std::to_string(chains) + "]");
  }
}

torch::Tensor Target::energy(const torch::Tensor& x) const {
  check_batch(x);
  torch::Tensor u = compute_energy(x);
  check_energy(u, x.size(0));
  return u;
}

EnergyAndGrad Target::energy_and_grad(const torch::Tensor& x) const {
  check_batch(x);
  EnergyAndGrad result = compute_energy_and_grad(x);
  check_energy(result.energy, x.size(0));
  if (!result.grad.defined() || !result.grad.sizes().equals(x.sizes())) {
    throw std::logic_error("target '" + name() + "' returned a gradient of shape " +
                           (result.grad.defined() ? shape_string(result.grad) : "<undefined>") +
                           ", expected " + shape_string(x));
  }
  return result;
}

double Target::row_energy(const double*, double*) const {
  throw std::logic_error("target '" + name() + "' has no fused per-state path");
}

EnergyAndGrad Target::compute_energy_and_grad(const torch::Tensor& x) const {
  ValueAndGrad vg =
      batched_value_and_grad([this](const torch::Tensor& leaf) { return compute_energy(leaf); }, x,
                             [&](const torch::Tensor& u) { check_energy(u, x.size(0)); });
  return {vg.value, vg.grad};
}

}  // namespace ebmc
