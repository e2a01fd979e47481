#pragma once
/// @file kernel.h
/// The Markov-kernel contract every sampler implements.

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"
#include "ebmc/core/target.h"
#include "ebmc/core/tuning.h"

namespace ebmc {

/// A batched Markov transition kernel leaving a target invariant: what the runner needs.
///
/// Continuous kernels (`Kernel`) and discrete ones (`DiscreteKernel`) add an `init` that binds the
/// kernel to a target (which must outlive the kernel's use) and evaluates the starting states once;
/// `step` advances every chain by one transition.
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
  /// Names of the kernel's own per-draw statistics, the order of `Info::stats`.
  virtual std::vector<std::string> stat_names() const { return {}; }
  /// Statistics with a hard limit the kernel stops at (NUTS: `treedepth__` at `max_depth`):
  /// draws that reach it are flagged by the run warnings.
  virtual std::map<std::string, double> stat_limits() const { return {}; }
  /// The per-chain step size and metric the kernel uses now; none for kernels without them.
  virtual std::optional<Tuning> tuning() const { return std::nullopt; }
  /// Uses `tuning` from now on (after `init`). Throws InputError for kernels without one.
  virtual void set_tuning(const Tuning& tuning);
};

/// Called by an adaptation for each warmup transition: runs one step of the kernel (the run
/// recipe counts its cost and calls its callbacks there) and returns its Info.
using WarmupStep = std::function<Info(State&)>;

/// A warmup algorithm: it runs the warmup transitions of the kernel it was built for through
/// `step`, changing the kernel's tuning as it learns, and returns the tuning it reached.
///
///     ebmc::Tuning tuned = adaptation.run(state, rng, 1000, step);
class Adaptation {
 public:
  virtual ~Adaptation() = default;
  /// Runs `warmup` transitions from `state` (advanced in place).
  virtual Tuning run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) = 0;
  /// The acceptance statistic the adaptation aims for, if it aims for one.
  virtual std::optional<double> target_accept() const { return std::nullopt; }
};

/// The target a kernel's `init` bound, for its steps: one pointer and one error for a step
/// before `init`, shared by every kernel family.
template <class TargetType>
class BoundTarget {
 public:
  void bind(const TargetType& target) { target_ = &target; }
  /// The bound target; throws std::logic_error naming `kernel` before `bind`.
  const TargetType& get(const std::string& kernel) const {
    if (target_ == nullptr) throw std::logic_error(kernel + ": step called before init");
    return *target_;
  }

 private:
  const TargetType* target_ = nullptr;
};

/// A kernel on a continuous target: `init` binds it to the target and evaluates the start.
class Kernel : public TransitionKernel {
 public:
  /// Binds the kernel to `target` and returns the state at `x0` [chains, dim] with cached energy
  /// (and gradient for gradient-based kernels). Rejects starting points with non-finite energy.
  virtual State init(const Target& target, const torch::Tensor& x0) = 0;

 protected:
  /// What every `init` does: binds `target` and evaluates U (and ∇U when `with_gradient`) at
  /// `x0` as float64, rejecting a start whose energy is not finite.
  State bind_and_evaluate(const Target& target, const torch::Tensor& x0, bool with_gradient);
  /// The target bound by `init`; throws if `step` is called before `init`.
  const Target& target() const { return bound_.get(name()); }

 private:
  BoundTarget<Target> bound_;
};

/// A continuous sampler as the registry builds it: its kernel and, when warmup should tune it,
/// its adaptation (built for that kernel).
struct Sampler {
  std::shared_ptr<Kernel> kernel;
  std::shared_ptr<Adaptation> adaptation;  ///< null: warmup runs the kernel as it is
};

/// Throws InputError naming `where` (e.g. `hmc:step_size`) unless `step_size` is finite and > 0;
/// the check every kernel's options share.
void check_step_size(double step_size, const std::string& where);

/// Throws InputError naming the first chain whose starting energy is not finite.
void check_initial_energy(const torch::Tensor& energy, const std::string& target_name);

}  // namespace ebmc
