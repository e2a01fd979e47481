#include "ebmc/core/kernel.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void TransitionKernel::set_tuning(const Tuning&) {
  throw InputError("sampler '" + name() + "' has no step size or metric to set", "--tuning");
}

State Kernel::bind_and_evaluate(const Target& target, const torch::Tensor& x0, bool with_gradient) {
  bound_.bind(target);
  State state;
  state.x = x0.to(torch::kFloat64).clone();
  if (with_gradient) {
    EnergyAndGrad eg = target.energy_and_grad(state.x);
    state.energy = eg.energy;
    state.grad = eg.grad;
  } else {
    state.energy = target.energy(state.x);
  }
  check_initial_energy(state.energy, target.name());
  return state;
}

void check_step_size(double step_size, const std::string& where) {
  if (!(std::isfinite(step_size) && step_size > 0)) {
    throw InputError("step_size must be finite and > 0", where);
  }
}

void check_initial_energy(const torch::Tensor& energy, const std::string& target_name) {
  torch::Tensor bad = torch::logical_not(torch::isfinite(energy)).nonzero();
  if (bad.numel() > 0) {
    throw InputError("initial state of chain " + std::to_string(bad[0][0].item<int64_t>() + 1) +
                         " has a non-finite energy",
                     target_name);
  }
}

}  // namespace ebmc
