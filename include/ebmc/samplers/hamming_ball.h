#pragma once
/// @file hamming_ball.h
/// The Hamming-ball sampler HB-b-r of Titsias & Yau (2017).

#include "ebmc/core/options.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// Options of the Hamming-ball sampler.
struct HammingBallOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("block", block(), "sites per block b");
    v.field("radius", radius(), "Hamming radius r within the block");
    v.field("aligned", aligned(), "blocks of consecutive sites (e.g. FHMM time steps)");
  }
  /// Sites per block, b.
  TORCH_ARG(int64_t, block) = 10;
  /// Hamming radius r within the block.
  TORCH_ARG(int64_t, radius) = 1;
  /// Blocks are {j·b, …, j·b + b − 1} for a random j (e.g. all K factors of one time step of a
  /// factorial HMM with b = K) instead of b random distinct sites.
  TORCH_ARG(bool, aligned) = false;
};

/// HB-b-r: pick a block of b sites; draw an auxiliary u uniformly from the Hamming ball of radius
/// r around x restricted to the block; then draw x′ from the target restricted to the ball of
/// radius r around u. Both moves are exact Gibbs steps of the augmented target p(x) p(u | x), so
/// no Metropolis correction is needed. Cost per step and chain: one evaluation of f per state of
/// the ball, Σ_{k≤r} C(b, k) (K − 1)^k.
class HammingBall : public DiscreteKernel {
 public:
  explicit HammingBall(HammingBallOptions options = {});
  std::string name() const override;
  Info step(State& state, Rng& rng) override;
  torch::Tensor transition_matrix(const torch::Tensor& states) const override;

 protected:
  void prepare(const DiscreteTarget& target) override;

 private:
  HammingBallOptions options_;
  torch::Tensor offsets_;  ///< the ball's offset patterns, [P, b]
};

}  // namespace ebmc
