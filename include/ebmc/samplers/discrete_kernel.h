#pragma once
/// @file discrete_kernel.h
/// The contract of kernels on discrete targets.

#include <torch/torch.h>

#include "ebmc/core/kernel.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// A batched Markov kernel on a discrete target. The state caches U = −f(x) in `energy` and, for
/// kernels that use it, ∇U = −∇f in `grad`. Its `flips__` statistic counts the sites the step
/// changed, per chain.
///
/// Every discrete kernel also gives its exact transition matrix on a tiny model, built from the
/// same proposal and acceptance functions `step` uses by enumerating the random choices instead
/// of drawing them, so that tests can check πP = π to rounding error.
///
///     ebmc::GibbsWithGradients gwg;
///     ebmc::State state = gwg.init(ising, ising.random_states(32, rng));
///     ebmc::Info info = gwg.step(state, rng);
class DiscreteKernel : public TransitionKernel {
 public:
  /// Binds the kernel to `target` (which must outlive its use), checks `x0` (shape, values,
  /// one-hot) and evaluates it. Throws InputError for a target the kernel cannot handle.
  State init(const DiscreteTarget& target, const torch::Tensor& x0);
  /// P[s, t] = probability that one step moves state s to state t, for `states` =
  /// `all_states(target)` of the bound target, [S, S].
  virtual torch::Tensor transition_matrix(const torch::Tensor& states) const = 0;
  /// How many `step` calls `transition_matrix` covers (a systematic sweep's matrix is a whole
  /// sweep); 1 for most kernels.
  virtual int64_t steps_per_transition_matrix() const { return 1; }
  /// `flips__`: sites changed per chain by the step.
  std::vector<std::string> stat_names() const override { return {"flips__"}; }

 protected:
  /// Whether `init` must evaluate the gradient.
  virtual bool uses_gradient() const { return false; }
  /// Throws InputError if the kernel cannot sample `target` with its options; otherwise
  /// prepares whatever depends on the target (called by `init` before binding).
  virtual void prepare(const DiscreteTarget& /*target*/) {}
  /// The bound target; throws if `init` was not called.
  const DiscreteTarget& target() const { return bound_.get(name()); }
  /// The state at `x` with U = −f and (if `with_gradient`) ∇U = −∇f.
  State evaluate(const torch::Tensor& x, bool with_gradient) const;
  /// What an exact (Gibbs-type, never rejecting) move from `before` to `after` reports:
  /// acceptance probability 1, accepted where the state changed, and the sites changed.
  Info exact_move_info(const torch::Tensor& before, const torch::Tensor& after) const;

 private:
  BoundTarget<DiscreteTarget> bound_;
};

/// Adds `probs` [N, C] into rows `from` [N] and columns `to` [N, C] of the matrix `p`.
void accumulate_transitions(torch::Tensor& p, const torch::Tensor& from, const torch::Tensor& to,
                            const torch::Tensor& probs);

}  // namespace ebmc
