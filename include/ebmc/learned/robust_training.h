#pragma once
/// @file robust_training.h
/// Training a learned kernel until it is usable: train, judge the result (degenerate training,
/// chains that do not mix, ESJD no better than untrained), and retrain with fresh networks when
/// it failed. What `ebmc train-sampler` runs.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ebmc/learned/learned_kernel.h"
#include "ebmc/learned/sampler_trainer.h"
#include "ebmc/learned/training_check.h"

namespace ebmc {

/// Settings of `train_until_usable`.
struct RestartOptions {
  /// Further attempts with fresh networks after a failed one.
  int64_t restarts = 2;
  /// Transitions of the mixing check (0: judge by the training statistics alone).
  int64_t check_transitions = 400;
  TrainingCheckOptions check;
};

/// One finished training attempt.
struct TrainingAttempt {
  std::shared_ptr<LearnedKernel> kernel;
  std::unique_ptr<SamplerTrainer> trainer;
  TrainingProgress last;  ///< the last iteration's statistics
  std::string failure;    ///< why the kernel is unusable; "" when it is usable
  MixingCheck check;      ///< the trained kernel's mixing check (when it ran)
  MixingCheck untrained;  ///< the same check of the kernel untrained (when it ran)
  uint64_t seed = 0;      ///< the attempt's seed (networks, masks, training)
  int64_t attempt = 0;    ///< 0 for the first
};

/// What a caller adds to each attempt (all optional).
struct AttemptHooks {
  /// Before training (e.g. resuming from a checkpoint).
  std::function<void(SamplerTrainer&, int64_t attempt)> before;
  /// After every iteration.
  std::function<void(const TrainingProgress&, int64_t attempt)> report;
  /// After training, before the attempt is judged (e.g. writing logs; may throw).
  std::function<void(TrainingAttempt&)> after;
  /// A failed attempt that will be retried.
  std::function<void(const TrainingAttempt&, uint64_t next_seed)> restarting;
};

/// The seed of attempt `attempt`: `seed` for the first, then seed + 1000003·attempt.
uint64_t attempt_seed(uint64_t seed, int64_t attempt);

/// Why a finished training run is unusable, from its statistics alone ("" when it is not):
/// acceptance collapsed over the last tenth of training (`recent_accept`), step size collapsed,
/// or most iterations skipped.
std::string degenerate_training(const LearnedKernel& kernel, const TrainingProgress& last,
                                double recent_accept);

/// Trains the kernel `sampler_spec` (e.g. `l2hmc:hmc_steps=10`) on `target` (`target_spec` as the
/// user wrote it) from `seed`: an attempt is judged by `degenerate_training`, then by
/// `check_mixing` of the trained kernel against the untrained one from the training chains
/// (`training_failure`); a failed attempt is retried with fresh networks up to
/// `restart.restarts` times. Returns the first usable attempt or the last one.
///
///     ebmc::TrainingAttempt a = ebmc::train_until_usable("l2hmc", "mog", *target, options, 1, {});
///     if (!a.failure.empty()) ...
TrainingAttempt train_until_usable(const std::string& sampler_spec, const std::string& target_spec,
                                   const Target& target, const TrainerOptions& options,
                                   uint64_t seed, const RestartOptions& restart,
                                   const AttemptHooks& hooks = {});

}  // namespace ebmc
