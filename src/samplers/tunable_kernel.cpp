#include "ebmc/samplers/tunable_kernel.h"

#include <stdexcept>

namespace ebmc {

double GradientKernel::step_size() const {
  if (!tuning_.step_size.defined()) return std::nan("");
  return tuning_.step_size.mean().item<double>();
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
  const int64_t chains = state.x.size(0);
  tuning_.step_size = torch::full({chains}, step_size, torch::kFloat64);
  tuning_.metric = DiagonalMetric::identity(chains, state.x.size(1));
  return state;
}

const Target& GradientKernel::target() const {
  if (target_ == nullptr) throw std::logic_error(name() + ": step called before init");
  return *target_;
}

}  // namespace ebmc
