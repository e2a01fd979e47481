#include "ebmc/samplers/leapfrog.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ebmc/core/fused_path.h"

namespace ebmc {

torch::Tensor PhasePoint::hamiltonian(const DiagonalMetric& metric) const {
  torch::Tensor h = energy + metric.kinetic_energy(p);
  return torch::nan_to_num(h, INFINITY, INFINITY, -INFINITY);
}

double leapfrog_row(const Target& target, const double* inverse_metric, double step, int64_t dim,
                    double* x, double* p, double* grad) {
  const double half_step = 0.5 * step;
  for (int64_t i = 0; i < dim; ++i) {
    p[i] = p[i] - half_step * grad[i];
    x[i] = x[i] + step * (inverse_metric[i] * p[i]);
  }
  const double energy = target.row_energy(x, grad);
  for (int64_t i = 0; i < dim; ++i) p[i] = p[i] - half_step * grad[i];
  return energy;
}

double hamiltonian_row(double energy, const double* p, const double* inverse_metric, int64_t dim,
                       double* velocity) {
  double kinetic = 0.0;
  for (int64_t i = 0; i < dim; ++i) {
    const double v = inverse_metric[i] * p[i];
    if (velocity != nullptr) velocity[i] = v;
    kinetic += p[i] * v;
  }
  const double h = energy + 0.5 * kinetic;
  return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
}

namespace {

/// Every chain's trajectory in one pass over raw memory (the fused path of `leapfrog`).
PhasePoint fused_leapfrog(const Target& target, const DiagonalMetric& metric, const PhasePoint& z,
                          const torch::Tensor& step, int64_t steps) {
  const int64_t chains = z.x.size(0), dim = z.x.size(1);
  PhasePoint next{z.x.clone(), z.p.contiguous().clone(), z.energy.contiguous().clone(),
                  z.grad.contiguous().clone()};
  const torch::Tensor inverse = metric.inverse.contiguous();
  const torch::Tensor eps = step.contiguous();
  const int64_t metric_stride = inverse.size(0) == 1 ? 0 : dim;
  const int64_t step_stride = eps.numel() == 1 ? 0 : 1;
  const double* inv = inverse.data_ptr<double>();
  const double* e = eps.data_ptr<double>();
  double *x = next.x.data_ptr<double>(), *p = next.p.data_ptr<double>();
  double *g = next.grad.data_ptr<double>(), *u = next.energy.data_ptr<double>();
  const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(dim * steps, 1));
  at::parallel_for(0, chains, grain, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      for (int64_t s = 0; s < steps; ++s) {
        u[c] = leapfrog_row(target, inv + c * metric_stride, e[c * step_stride], dim, x + c * dim,
                            p + c * dim, g + c * dim);
      }
    }
  });
  return next;
}

}  // namespace

PhasePoint leapfrog(const Target& target, const DiagonalMetric& metric, const PhasePoint& z,
                    const torch::Tensor& step, int64_t steps) {
  if (target.has_row_energy() && takes_fused_path(z.x) && is_cpu_float64(z.p, true) &&
      is_cpu_float64(z.grad, true) && is_cpu_float64(z.energy, true) &&
      is_cpu_float64(metric.inverse, true) && is_cpu_float64(step, true)) {
    return fused_leapfrog(target, metric, z, step, steps);
  }
  // Fused multiply-adds keep the integrator at three passes over the state besides U and ∇U.
  const torch::Tensor eps = step.dim() == 0 ? step : step.unsqueeze(1);
  const torch::Tensor half_eps = 0.5 * eps;
  PhasePoint next = z;
  for (int64_t s = 0; s < steps; ++s) {
    const torch::Tensor p_half = torch::addcmul(next.p, half_eps, next.grad, -1.0);
    next.x = torch::addcmul(next.x, eps, metric.velocity(p_half));
    EnergyAndGrad eg = target.energy_and_grad(next.x);
    next.energy = eg.energy;
    next.grad = eg.grad;
    next.p = torch::addcmul(p_half, half_eps, next.grad, -1.0);
  }
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
