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

/// One leapfrog step of size `step` ([chains] or scalar; a negative step integrates backwards):
/// p ← p − ½ε∇U(x); x ← x + ε M⁻¹ p; p ← p − ½ε∇U(x). One gradient evaluation per chain.
///
///     PhasePoint z{x, p, u, g};
///     z = ebmc::leapfrog(target, metric, z, step);
PhasePoint leapfrog(const Target& target, const DiagonalMetric& metric, const PhasePoint& z,
                    const torch::Tensor& step);

/// The phase point at `state` with momentum `p`.
PhasePoint phase_point(const State& state, const torch::Tensor& p);

/// H(z) − H(z') for one leapfrog step of size `step` from `state` with fresh momentum: the log
/// acceptance ratio Stan's step-size heuristic looks at. NaN maps to −Inf.
torch::Tensor leapfrog_probe_log_accept(const Target& target, const DiagonalMetric& metric,
                                        const State& state, const torch::Tensor& step, Rng& rng);

}  // namespace ebmc
