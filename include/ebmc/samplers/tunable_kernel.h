#pragma once
/// @file tunable_kernel.h
/// Kernels with a per-chain step size and diagonal metric that warmup adaptation can tune.

#include <torch/torch.h>

#include "ebmc/core/kernel.h"
#include "ebmc/samplers/metric.h"

namespace ebmc {

/// What warmup adaptation tunes: a step size per chain and a diagonal inverse metric per chain.
struct Tuning {
  torch::Tensor step_size;  ///< [chains]
  DiagonalMetric metric;    ///< inverse metric [chains, dim]
};

/// A gradient-based kernel with a per-chain step size and diagonal metric (ULA, MALA, HMC,
/// NUTS). `init` sets the tuning from the kernel's options (scalar step size, identity metric).
class GradientKernel : public Kernel {
 public:
  /// The current tuning; adaptation writes it, the next `step` uses it.
  Tuning& tuning() { return tuning_; }
  const Tuning& tuning() const { return tuning_; }
  /// Mean step size over chains.
  double step_size() const override;

 protected:
  /// Binds `target`, evaluates energy and gradient at `x0` and resets the tuning.
  State init_with_gradient(const Target& target, const torch::Tensor& x0, double step_size);
  /// The target bound by `init`; throws if `step` is called before `init`.
  const Target& target() const;

  Tuning tuning_;

 private:
  const Target* target_ = nullptr;
};

/// A gradient kernel with a Metropolis correction, whose Tuning warmup adaptation may change
/// between transitions (MALA, HMC, NUTS).
class TunableKernel : public GradientKernel {
 public:
  /// log acceptance ratio, per chain, of one elementary move (one leapfrog step for Hamiltonian
  /// kernels, one proposal for MALA) from `state` with fresh momentum or noise, at `step_size`
  /// ([chains]); used by the step-size heuristic. Does not change `state`.
  virtual torch::Tensor probe_log_accept(const State& state, const torch::Tensor& step_size,
                                         Rng& rng) = 0;
};

}  // namespace ebmc
