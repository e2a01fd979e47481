#pragma once
/// @file hmc.h
/// Hamiltonian Monte Carlo with a fixed or jittered number of leapfrog steps.

#include "ebmc/adaptation/windowed_adaptation.h"
#include "ebmc/core/options.h"
#include "ebmc/samplers/leapfrog.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of HMC.
struct HmcOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(), "initial leapfrog step size (warmup tunes it per chain)");
    v.field("num_steps", num_steps(), "leapfrog steps per transition");
    v.field("jitter", jitter(), "path length drawn from (1 +- jitter) num_steps");
    v.field("max_delta_h", max_delta_h(), "energy error above which a trajectory is divergent");
    adaptation().visit_fields(v);
  }
  /// Initial leapfrog step size ε (adaptation may tune it per chain).
  TORCH_ARG(double, step_size) = 0.1;
  /// Number of leapfrog steps L per transition.
  TORCH_ARG(int64_t, num_steps) = 10;
  /// Path-length jitter j in [0, 1): each transition draws L' uniformly from
  /// {round((1−j)L), …, round((1+j)L)} (at least 1), shared by all chains of the batch. Jittered
  /// by default: a fixed path length can resonate with the target's periods.
  TORCH_ARG(double, jitter) = 0.2;
  /// A trajectory whose Hamiltonian rises by more than this is divergent (and rejected).
  TORCH_ARG(double, max_delta_h) = 1000.0;
  /// Warmup adaptation.
  TORCH_ARG(AdaptationOptions, adaptation) = {};
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
  std::vector<std::string> stat_names() const override {
    return {"stepsize__", "n_leapfrog__", "divergent__", "energy__"};
  }

 private:
  int64_t draw_num_steps(Rng& rng) const;

  HmcOptions options_;
};

}  // namespace ebmc
