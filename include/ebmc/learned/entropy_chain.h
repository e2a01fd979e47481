#pragma once
/// @file entropy_chain.h
/// One chain's proposal-entropy transition in raw memory: the fused sampling path of
/// `EntropySampler`.

#include <cstdint>
#include <vector>

#include "ebmc/core/per_chain.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/learned/learned_factor.h"
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
  PlainFactor factor;             ///< the preconditioner L, empty without one
};

/// The proposal-entropy sampler's transition (see `EntropySampler`) for a block of chains on a
/// target with a fused path, each chain: z₀ from its stream, x′ = x + εz(z₀) (+ drift), U(x′), the
/// reverse density by inverting the map from x′, and the Metropolis–Hastings step. The chains of a
/// block move in lockstep, so each network layer is one pass over its weights for all of them; a
/// chain draws what its row of the tensor path draws, in the same order, and (with float64
/// networks) agrees with it to rounding, with the same bits in any block.
/// One per thread; the weights must outlive it.
class EntropyChain {
 public:
  /// A workspace for blocks of up to `block` chains.
  explicit EntropyChain(const EntropyWeights& weights, int64_t block = 1);
  /// One transition of each of the `count` ≤ block chains `rows` (overwritten when accepted;
  /// `grad` null without gradients), chain i drawing from `streams[i]`; decisions into
  /// `decisions[i]`.
  void step(const Target& target, int64_t count, const ChainRow* rows, ChainStream* streams,
            ChainDecision* decisions);

 private:
  /// x′ = x + εz for the base noise in `base_` into `proposal_`; log q(x′|x) into `log_q`.
  void propose(const Target& target, const double* x, const double* grad, double* log_q);
  /// log q(x_to | x) into `log_q` for moves to `x_to`, inverting the map conditioned on x.
  void log_density(const Target& target, const double* x, const double* grad, const double* x_to,
                   double* log_q);
  /// The coupling update of step n on the coordinates `update` marks (or its inverse); adds
  /// Σ update ⊙ S to each chain's `log_det_`.
  void coupling(const Target& target, int64_t n, const double* x, const double* update,
                bool inverse);
  /// log R(x, ∂U(x)) into `log_r_`; adds its sum to each chain's `log_det_`.
  void base_log_scale(const double* x, const double* grad);
  /// The Langevin variant's drift into `drift_` (zeros for the others).
  void drift(const double* x, const double* grad);

  const EntropyWeights& w_;
  int64_t block_ = 1, count_ = 0;
  /// Per chain of the block ([block, dim] unless noted): the chains' x and ∇U, the base noise,
  /// z, the kept part of z, the networks' inputs [block, 3·dim] and outputs [block, 3·dim],
  /// log R, the drift, the proposals and their gradients.
  std::vector<double> x_, grad_, base_, z_, kept_, input_, output_, log_r_, drift_, proposal_,
      proposal_grad_;
  /// Per chain: the log-determinant being summed, log q forward and reverse, U(x′).
  std::vector<double> log_det_, log_q_forward_, log_q_reverse_, energy_next_;
  std::vector<double> keep_, complement_, y_, row_;  ///< [dim], [steps, dim], [dim], [dim]
  PlainScratch scratch_;
};

}  // namespace ebmc
