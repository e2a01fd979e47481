#pragma once
/// @file entropy_chain.h
/// One chain's proposal-entropy transition in raw memory: the fused sampling path of
/// `EntropySampler`.

#include <cstdint>
#include <vector>

#include "ebmc/core/per_chain.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

/// A trained proposal-entropy sampler's networks and masks copied into raw memory.
struct EntropyWeights {
  StepIndexedMlpImpl::Plain coupling, base_scale, langevin;
  std::vector<double> masks;  ///< [steps, dim] row-major
  int64_t steps = 0, dim = 0;
  double step_size = 0;
  bool coupling_gradient = true;  ///< the full model: ∂U enters R and the couplings
  bool has_drift = false;         ///< the Langevin variant: x′ = x + εz + drift(x)
};

/// The proposal-entropy sampler's transition (see `EntropySampler`) for one chain on a target
/// with a fused path: z₀ from the chain's stream, x′ = x + εz(z₀) (+ drift), U(x′), the reverse
/// density by inverting the map from x′, and the Metropolis–Hastings step. It draws what that
/// chain's row of the tensor path draws, in the same order, and agrees with it to rounding.
/// One per thread; the weights must outlive it.
class EntropyChain {
 public:
  explicit EntropyChain(const EntropyWeights& weights);
  /// One transition of `row` (overwritten when accepted; `row.grad` null without gradients).
  ChainDecision step(const Target& target, const ChainRow& row, ChainStream& stream);

 private:
  /// x′ = x + εz for base noise z₀ (read from `base_`) into `proposal_`; returns log q(x′|x).
  double propose(const Target& target, const double* x, const double* grad);
  /// log q(x_to | x) for a move to `x_to`, inverting the map conditioned on x.
  double log_density(const Target& target, const double* x, const double* grad, const double* x_to);
  /// The coupling update of step n on the coordinates `update` marks (or its inverse); returns
  /// Σ update ⊙ S.
  double coupling(const Target& target, int64_t n, const double* x, const double* update,
                  bool inverse);
  /// log R(x, ∂U(x)) into `log_r_`; returns its sum.
  double base_log_scale(const double* x, const double* grad);
  /// The Langevin variant's drift into `drift_` (zeros for the others).
  void drift(const double* x, const double* grad);

  const EntropyWeights& w_;
  std::vector<double> base_, z_, kept_, keep_, complement_, input_, output_, log_r_, drift_, y_,
      proposal_, proposal_grad_, scratch_;
};

}  // namespace ebmc
