#pragma once
/// @file gibbs.h
/// Gibbs sampling on discrete targets: single-site (random scan or systematic sweep) and block
/// Gibbs enumerating the K^b values of a block.

#include "ebmc/core/options.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// Options of the Gibbs sampler.
struct GibbsOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("block", block(), "sites updated jointly (their K^b values enumerated)");
    v.field("sweep", sweep(), "systematic sweep instead of a random scan");
  }
  /// Sites updated jointly per step (Gibbs-b); the block's K^b values are enumerated.
  TORCH_ARG(int64_t, block) = 1;
  /// Systematic sweep (sites 0, 1, … in order, every chain at the same site) instead of a random
  /// scan (each chain picks its own block uniformly at random).
  TORCH_ARG(bool, sweep) = false;
};

/// Gibbs sampler: each step resamples a block of sites from its exact conditional. Single-site
/// updates use the target's site differences, which are O(degree) for Ising and Potts models
/// (local fields, no re-evaluation of f); blocks evaluate f at all K^b assignments.
///
/// The transition matrix of a random scan averages over blocks; a sweep's is the product over
/// one full sweep (D / b steps from site 0).
class Gibbs : public DiscreteKernel {
 public:
  explicit Gibbs(GibbsOptions options = {});
  std::string name() const override;
  Info step(State& state, Rng& rng) override;
  torch::Tensor transition_matrix(const torch::Tensor& states) const override;
  int64_t steps_per_transition_matrix() const override { return sweep_steps_; }

 protected:
  void prepare(const DiscreteTarget& target) override;

 private:
  /// Random-scan single-site Gibbs on a binary pairwise target, chain by chain in raw memory
  /// (`pairwise_gibbs_update`): taken with per-chain streams for float64 CPU states.
  Info fused_step(State& state, Rng& rng);
  /// The exact conditional of `blocks` [N, b] of `x` (with cached energy U): every candidate
  /// assignment, its normalized log-probability and its energy.
  struct BlockUpdate {
    torch::Tensor candidates;  ///< [N·C, ...]
    torch::Tensor log_probs;   ///< [N, C] normalized conditional
    torch::Tensor energies;    ///< [N, C] U of each candidate
  };
  BlockUpdate block_conditional(const torch::Tensor& x, const torch::Tensor& energy,
                                const torch::Tensor& blocks) const;
  torch::Tensor block_matrix(const torch::Tensor& states, const torch::Tensor& energy,
                             const torch::Tensor& block) const;

  GibbsOptions options_;
  torch::Tensor offsets_;    ///< all K^b offsets of a block
  int64_t position_ = 0;     ///< next block start of the sweep
  int64_t sweep_steps_ = 1;  ///< steps per full sweep (1 for a random scan)
  ChainEnergySums sums_;     ///< the fused path's exact energies, carried per chain
};

}  // namespace ebmc
