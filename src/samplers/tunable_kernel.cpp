#include "ebmc/samplers/tunable_kernel.h"

#include <stdexcept>

#include "ebmc/core/errors.h"

namespace ebmc {

double GradientKernel::step_size() const {
  if (!tuning_.step_size.defined()) return std::nan("");
  return tuning_.step_size.mean().item<double>();
}

void GradientKernel::set_tuning(const Tuning& tuning) {
  if (!tuning_.step_size.defined()) throw std::logic_error(name() + ": set_tuning before init");
  const int64_t chains = tuning_.step_size.size(0), dim = tuning_.inverse_metric.size(1);
  if (tuning.step_size.sizes() != torch::IntArrayRef{chains} ||
      tuning.inverse_metric.dim() != 2 || tuning.inverse_metric.size(1) != dim ||
      (tuning.inverse_metric.size(0) != chains && tuning.inverse_metric.size(0) != 1)) {
    throw InputError("tuning does not fit " + std::to_string(chains) + " chains in dimension " +
                         std::to_string(dim),
                     "--tuning");
  }
  tuning_ = {tuning.step_size.to(torch::kFloat64), tuning.inverse_metric.to(torch::kFloat64)};
}

State GradientKernel::init_with_gradient(const Target& target, const torch::Tensor& x0,
                                         double step_size) {
  target_ = &target;
  State state;
  state.x = x0.to(torch::kFloat64).clone();
  EnergyAndGrad eg = target.energy_and_grad(state.x);
  state.energy = eg.energy;
  state.grad = eg.grad;
  check_initial_energy(state.energy, target.name());
  tuning_ = Tuning::initial(step_size, state.x.size(0), state.x.size(1));
  return state;
}

const Target& GradientKernel::target() const {
  if (target_ == nullptr) throw std::logic_error(name() + ": step called before init");
  return *target_;
}

}  // namespace ebmc
