#pragma once
/// @file mala.h
/// The Metropolis-adjusted Langevin algorithm.

#include "ebmc/adaptation/windowed_adaptation.h"
#include "ebmc/core/options.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of MALA.
struct MalaOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(), "initial step size (warmup tunes it per chain)");
    adaptation().visit_fields(v);
  }
  /// Initial step size ε (adaptation may tune it per chain).
  TORCH_ARG(double, step_size) = 0.1;
  /// Warmup adaptation (MALA's optimal acceptance 0.574 by default).
  TORCH_ARG(AdaptationOptions, adaptation) = AdaptationOptions().with_target_accept(0.574);
};

/// MALA: x' = x − (ε²/2) M⁻¹∇U(x) + ε M^{-1/2}ξ, accepted by the shared MH step with the
/// proposal densities q(x'|x) and q(x|x') in the ratio (the proposal is not symmetric). One
/// energy and gradient evaluation per chain per step.
///
///     ebmc::Mala mala(ebmc::MalaOptions().step_size(0.3));
class Mala : public SingleProposalKernel {
 public:
  explicit Mala(MalaOptions options = {});
  std::string name() const override { return "mala"; }

 protected:
  std::pair<State, torch::Tensor> propose(const State& state, const torch::Tensor& step_size,
                                          Rng& rng) const override;

 private:
  MalaOptions options_;
};

}  // namespace ebmc
