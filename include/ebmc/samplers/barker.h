#pragma once
/// @file barker.h
/// The Barker proposal (Livingstone & Zanella 2022, "The Barker proposal: combining robustness
/// and efficiency in gradient-based MCMC", JRSS-B 84(2)).

#include <utility>

#include "ebmc/adaptation/windowed_adaptation.h"
#include "ebmc/core/options.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of the Barker sampler.
struct BarkerOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(), "initial step size (warmup tunes it per chain)");
    adaptation().visit_fields(v);
  }
  /// Initial step size ε: increments are N(0, ε² M⁻¹) per coordinate.
  TORCH_ARG(double, step_size) = 0.1;
  /// Warmup adaptation; the paper's optimal acceptance is about 0.4.
  TORCH_ARG(AdaptationOptions, adaptation) = AdaptationOptions().with_target_accept(0.4);
};

/// The Barker proposal: per coordinate an increment zᵢ ~ N(0, ε² M⁻¹ᵢᵢ) whose sign is kept with
/// the logistic probability p(zᵢ) = 1 / (1 + exp(−zᵢ ∂ᵢ log π(x))) = σ(−zᵢ ∂ᵢU(x)) and flipped
/// otherwise: the gradient only chooses the direction, so a badly chosen step size degrades
/// the sampler like random-walk Metropolis rather than collapsing it as it does MALA. With
/// d = y − x the proposal density is q(x, y) = Πᵢ 2 μ(dᵢ) / (1 + exp(dᵢ ∂ᵢU(x))), so the
/// Metropolis-Hastings log ratio is
///   U(x) − U(y) + Σᵢ [log(1 + exp(dᵢ ∂ᵢU(x))) − log(1 + exp(−dᵢ ∂ᵢU(y)))].
/// One energy and gradient evaluation per chain per step.
///
///     ebmc::Barker barker(ebmc::BarkerOptions().step_size(0.5));
class Barker : public SingleProposalKernel {
 public:
  explicit Barker(BarkerOptions options = {});
  std::string name() const override { return "barker"; }

  /// The log Metropolis-Hastings ratio of the move `from` → `to` (both with energy and
  /// gradient), [chains].
  static torch::Tensor log_ratio(const State& from, const State& to);

 protected:
  std::pair<State, torch::Tensor> propose(const State& state, const torch::Tensor& step_size,
                                          Rng& rng) const override;

 private:
  BarkerOptions options_;
};

}  // namespace ebmc
