#include "ebmc/samplers/leapfrog.h"

namespace ebmc {

torch::Tensor PhasePoint::hamiltonian(const DiagonalMetric& metric) const {
  torch::Tensor h = energy + metric.kinetic_energy(p);
  return torch::nan_to_num(h, INFINITY, INFINITY, -INFINITY);
}

PhasePoint leapfrog(const Target& target, const DiagonalMetric& metric, const PhasePoint& z,
                    const torch::Tensor& step) {
  // Fused multiply-adds keep the integrator at three passes over the state besides U and ∇U.
  const torch::Tensor eps = step.dim() == 0 ? step : step.unsqueeze(1);
  const torch::Tensor half_eps = 0.5 * eps;
  const torch::Tensor p_half = torch::addcmul(z.p, half_eps, z.grad, -1.0);
  PhasePoint next;
  next.x = torch::addcmul(z.x, eps, metric.velocity(p_half));
  EnergyAndGrad eg = target.energy_and_grad(next.x);
  next.energy = eg.energy;
  next.grad = eg.grad;
  next.p = torch::addcmul(p_half, half_eps, next.grad, -1.0);
  return next;
}

PhasePoint phase_point(const State& state, const torch::Tensor& p) {
  return {state.x, p, state.energy, state.grad};
}

torch::Tensor leapfrog_probe_log_accept(const Target& target, const DiagonalMetric& metric,
                                        const State& state, const torch::Tensor& step, Rng& rng) {
  PhasePoint z = phase_point(state, metric.sample_momentum(state.x, rng));
  return z.hamiltonian(metric) - leapfrog(target, metric, z, step).hamiltonian(metric);
}

}  // namespace ebmc
