#pragma once
/// @file kernel.h
/// The Markov-kernel contract every sampler implements.

#include <torch/torch.h>

#include <string>

#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// A batched Markov transition kernel leaving a target invariant: what the runner needs.
///
/// Continuous kernels (`Kernel`) and discrete ones (`DiscreteKernel`) add an `init` that binds the kernel to a target (which must outlive the kernel's use) and evaluates the
/// starting states once; `step` advances every chain by one transition.
///
///     ebmc::RandomWalkMetropolis kernel(ebmc::RwmOptions().step_size(0.8));
///     ebmc::State state = kernel.init(target, x0);
///     ebmc::Info info = kernel.step(state, rng);
class TransitionKernel {
 public:
  virtual ~TransitionKernel() = default;
  /// Short name, e.g. `rwm`.
  virtual std::string name() const = 0;
  /// Advances every chain of `state` by one transition.
  virtual Info step(State& state, Rng& rng) = 0;
  /// The current step size, for summaries (NaN for kernels without one).
  virtual double step_size() const { return std::nan(""); }
};

/// A kernel on a continuous target: `init` binds it to the target and evaluates the start.
class Kernel : public TransitionKernel {
 public:
  /// Binds the kernel to `target` and returns the state at `x0` [chains, dim] with cached energy
  /// (and gradient for gradient-based kernels). Rejects starting points with non-finite energy.
  virtual State init(const Target& target, const torch::Tensor& x0) = 0;
};

/// Throws InputError naming `where` (e.g. `hmc:step_size`) unless `step_size` is finite and > 0;
/// the check every kernel's options share.
void check_step_size(double step_size, const std::string& where);

/// Throws InputError naming the first chain whose starting energy is not finite.
void check_initial_energy(const torch::Tensor& energy, const std::string& target_name);

}  // namespace ebmc
