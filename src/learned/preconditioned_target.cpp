#include "ebmc/learned/preconditioned_target.h"

#include <utility>
#include <vector>

namespace ebmc {

PreconditionedTarget::PreconditionedTarget(const Target& base, const LearnedFactor& factor,
                                           PlainFactor plain)
    : base_(base), factor_(factor), plain_(std::move(plain)) {}

double PreconditionedTarget::row_energy(const double* y, double* grad) const {
  thread_local std::vector<double> x;
  x.resize(static_cast<size_t>(base_.dim()));
  plain_.times(y, x.data());
  const double energy = base_.row_energy(x.data(), grad);
  if (grad != nullptr) plain_.transposed_times(grad);
  return energy;
}

torch::Tensor PreconditionedTarget::compute_energy(const torch::Tensor& y) const {
  return base_.energy(factor_.times(y));
}

EnergyAndGrad PreconditionedTarget::compute_energy_and_grad(const torch::Tensor& y) const {
  EnergyAndGrad eg = base_.energy_and_grad(factor_.times(y));
  return {eg.energy, factor_.transposed_times(eg.grad)};
}

}  // namespace ebmc
