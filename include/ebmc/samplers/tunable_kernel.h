#pragma once
/// @file tunable_kernel.h
/// Kernels with a per-chain step size and diagonal metric (a Tuning) that warmup adaptation can
/// tune and that a saved tuning can be given back to.

#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "ebmc/core/kernel.h"
#include "ebmc/samplers/metric.h"

namespace ebmc {

/// A gradient-based kernel with a per-chain step size and diagonal metric (ULA, MALA, Barker,
/// HMC, NUTS). `init` sets the tuning from the kernel's options (scalar step size, identity
/// metric); `set_tuning` replaces it (e.g. with one saved by an earlier run). Reports
/// `stepsize__` per draw.
class GradientKernel : public Kernel {
 public:
  /// The current tuning.
  const Tuning& current_tuning() const { return tuning_; }
  std::optional<Tuning> tuning() const override { return tuning_; }
  /// Checks `tuning` against the bound chains and dimension, then uses it.
  void set_tuning(const Tuning& tuning) override;
  /// Replaces the tuning without checks: what adaptation calls between transitions.
  void update_tuning(Tuning tuning) { tuning_ = std::move(tuning); }
  /// Mean step size over chains.
  double step_size() const override;
  std::vector<std::string> stat_names() const override { return {"stepsize__"}; }

 protected:
  /// Binds `target`, evaluates energy and gradient at `x0` and resets the tuning.
  State init_with_gradient(const Target& target, const torch::Tensor& x0, double step_size);
  /// The target bound by `init`; throws if `step` is called before `init`.
  const Target& target() const;
  /// The diagonal metric of the current tuning.
  DiagonalMetric metric() const { return {tuning_.inverse_metric}; }
  /// Adds `stepsize__` to `info`.
  void add_step_size_stat(Info& info) const { info.add_stat("stepsize__", tuning_.step_size); }

  Tuning tuning_;

 private:
  const Target* target_ = nullptr;
};

/// A gradient kernel with a Metropolis correction, whose step-size acceptance can be probed
/// (MALA, Barker, HMC, NUTS): what warmup adaptation needs.
class TunableKernel : public GradientKernel {
 public:
  /// log acceptance ratio, per chain, of one elementary move (one leapfrog step for Hamiltonian
  /// kernels, one proposal for MALA) from `state` with fresh momentum or noise, at `step_size`
  /// ([chains]); used by the step-size heuristic. Does not change `state`.
  virtual torch::Tensor probe_log_accept(const State& state, const torch::Tensor& step_size,
                                         Rng& rng) = 0;
};

}  // namespace ebmc
