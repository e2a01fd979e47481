#pragma once
/// @file tunable_kernel.h
/// Kernels with a per-chain step size and diagonal metric (a Tuning) that warmup adaptation can
/// tune and that a saved tuning can be given back to.

#include <torch/torch.h>

#include <optional>
#include <string>
#include <utility>
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
  /// The diagonal metric of the current tuning.
  DiagonalMetric metric() const { return {tuning_.inverse_metric}; }
  /// Adds `stepsize__` to `info`.
  void add_step_size_stat(Info& info) const { info.add_stat("stepsize__", tuning_.step_size); }

  Tuning tuning_;
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

/// A TunableKernel that makes one gradient-informed proposal per step and corrects it with the
/// shared Metropolis-Hastings step (MALA, Barker): a subclass gives `propose`, the rest is here.
/// One energy and gradient evaluation per chain per step; reports `stepsize__`.
class SingleProposalKernel : public TunableKernel {
 public:
  /// `initial_step_size` is the step size `init` starts from (adaptation may tune it).
  explicit SingleProposalKernel(double initial_step_size) : initial_step_size_(initial_step_size) {}
  State init(const Target& target, const torch::Tensor& x0) final;
  Info step(State& state, Rng& rng) final;
  torch::Tensor probe_log_accept(const State& state, const torch::Tensor& step_size,
                                 Rng& rng) final;

 protected:
  /// One proposal from `state` at `step_size` [chains]: the proposed state (its energy and
  /// gradient evaluated, e.g. by `evaluated`) and the MH log ratio, [chains].
  virtual std::pair<State, torch::Tensor> propose(const State& state,
                                                  const torch::Tensor& step_size,
                                                  Rng& rng) const = 0;
  /// The state at `x` with U and ∇U of the bound target.
  State evaluated(torch::Tensor x) const;

 private:
  double initial_step_size_;
};

}  // namespace ebmc
