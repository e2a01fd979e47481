#pragma once
/// @file hmc.h
/// Hamiltonian Monte Carlo with a fixed or jittered number of leapfrog steps.

#include "ebmc/samplers/leapfrog.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of HMC.
struct HmcOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  /// Initial leapfrog step size ε (adaptation may tune it per chain).
  TORCH_ARG(double, step_size) = 0.1;
  /// Number of leapfrog steps L per transition.
  TORCH_ARG(int64_t, num_steps) = 10;
  /// Path-length jitter j in [0, 1): each transition draws L' uniformly from
  /// {round((1−j)L), …, round((1+j)L)} (at least 1), shared by all chains of the batch.
  TORCH_ARG(double, jitter) = 0.0;
  /// A trajectory whose Hamiltonian rises by more than this is divergent (and rejected).
  TORCH_ARG(double, max_delta_h) = 1000.0;
};

/// HMC: fresh momentum p ~ N(0, M), L leapfrog steps, Metropolis correction with
/// exp(H(x,p) − H(x',p')) through the shared MH step. Reports divergences. L energy and gradient
/// evaluations per chain per transition.
///
///     ebmc::Hmc hmc(ebmc::HmcOptions().step_size(0.2).num_steps(20));
class Hmc : public TunableKernel {
 public:
  explicit Hmc(HmcOptions options = {});
  std::string name() const override { return "hmc"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;
  torch::Tensor probe_log_accept(const State& state, const torch::Tensor& step_size,
                                 Rng& rng) override;
  const HmcOptions& options() const { return options_; }

 private:
  int64_t draw_num_steps(Rng& rng) const;

  HmcOptions options_;
};

}  // namespace ebmc
