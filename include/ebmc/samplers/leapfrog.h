#pragma once
/// @file leapfrog.h
/// The leapfrog (velocity Verlet) integrator shared by HMC, NUTS and the step-size heuristic.

#include <torch/torch.h>

#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"
#include "ebmc/core/target.h"
#include "ebmc/samplers/metric.h"

namespace ebmc {

/// A point in phase space for every chain, with the potential energy and its gradient cached.
struct PhasePoint {
  torch::Tensor x;       ///< [chains, dim]
  torch::Tensor p;       ///< [chains, dim]
  torch::Tensor energy;  ///< U(x), [chains]
  torch::Tensor grad;    ///< ∇U(x), [chains, dim]

  /// Hamiltonian U(x) + K(p) per chain; NaN energies map to +Inf so they compare as divergent.
  torch::Tensor hamiltonian(const DiagonalMetric& metric) const;
};

/// `steps` leapfrog steps of size `step` ([chains] or scalar; a negative step integrates
/// backwards): p ← p − ½ε∇U(x); x ← x + ε M⁻¹ p; p ← p − ½ε∇U(x). One gradient evaluation per
/// chain and step. On a target's fused path (`Target::has_row_energy`, CPU float64 states) each
/// chain's whole trajectory runs in one pass over raw memory (`leapfrog_row`); otherwise as
/// tensor operations. Both give the same bits.
///
///     PhasePoint z{x, p, u, g};
///     z = ebmc::leapfrog(target, metric, z, step);
PhasePoint leapfrog(const Target& target, const DiagonalMetric& metric, const PhasePoint& z,
                    const torch::Tensor& step, int64_t steps = 1);

/// One leapfrog step of one state in raw memory on the target's fused path: `x`, `p` and `grad`
/// [dim] are updated in place and the new energy returned. `inverse_metric` is the diagonal of
/// M⁻¹ [dim]. The same arithmetic, operation for operation, as the tensor path of `leapfrog`.
double leapfrog_row(const Target& target, const double* inverse_metric, double step, int64_t dim,
                    double* x, double* p, double* grad);

/// H = U + ½ pᵀM⁻¹p of one state, writing the velocity M⁻¹p into `velocity` [dim] when it is
/// not null; NaN maps to +Inf as in `PhasePoint::hamiltonian`.
double hamiltonian_row(double energy, const double* p, const double* inverse_metric, int64_t dim,
                       double* velocity);

/// The phase point at `state` with momentum `p`.
PhasePoint phase_point(const State& state, const torch::Tensor& p);

/// H(z) − H(z') for one leapfrog step of size `step` from `state` with fresh momentum: the log
/// acceptance ratio Stan's step-size heuristic looks at. NaN maps to −Inf.
torch::Tensor leapfrog_probe_log_accept(const Target& target, const DiagonalMetric& metric,
                                        const State& state, const torch::Tensor& step, Rng& rng);

}  // namespace ebmc
