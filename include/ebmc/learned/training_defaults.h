#pragma once
/// @file training_defaults.h
/// The training settings `ebmc train-sampler` uses for a target unless the command line sets
/// them.

#include <cstdint>
#include <string>

#include "ebmc/learned/learned_kernel.h"
#include "ebmc/learned/sampler_trainer.h"

namespace ebmc {

/// Iterations, batch, learning rate and initial temperature of `ebmc train-sampler`.
struct SamplerTrainingDefaults {
  int64_t steps = 5000;  ///< the papers' 5000 iterations
  int64_t batch = 200;   ///< levy-2018's batch
  double learning_rate = 1e-3;
  double anneal_from = 1.0;  ///< no tempering
  /// Options added to an `l2hmc` sampler spec that does not set them (`key=value,...`).
  std::string l2hmc_options;
};

/// The defaults for the target named `target_name` (`Target::name()`): the papers' settings,
/// except for L2HMC's two-mode mixture `mog`, where they leave most seeds stuck in one mode or
/// in a cycle. There: 500 iterations at learning rate 1e-2 with the temperature annealed from 32,
/// and the sampler options `burn_in=0` (eq. 5's fresh-draw term trains maps that send typical
/// states out to where the fresh N(0, I) draws lie: chains then keep their |x₂| forever) and
/// `hmc_steps=10` (the learned map alone is close to x → −x, which swaps modes but never mixes
/// within them). Measured in the README and tested for seeds 1–16. On `scg` the L2HMC options
/// `leapfrog=3,precondition=1,fit_factor=1,jitter=0.5,jump=scaled`: L fitted to the training
/// chains whitens the target, so 3 leapfrog steps reach a quarter period, and the scaled jump
/// with a jittered step size keeps the kernel off the antithetic x′ ≈ −x (1.2–1.4× tuned HMC's
/// ESS/s in the README's bench, against 0.07× with the paper's options).
SamplerTrainingDefaults sampler_training_defaults(const std::string& target_name);

/// Trainer options from `defaults` with the schedule and gradient clipping of `kernel`'s paper:
/// what `ebmc train-sampler` trains with when no option is given.
TrainerOptions default_trainer_options(const SamplerTrainingDefaults& defaults,
                                       const LearnedKernel& kernel);

/// The sampler spec to train: `spec` (of a kernel named `kernel_name`) with the target's default
/// options for that kernel added where `spec` does not set them (today: `l2hmc_options`).
std::string sampler_spec_with_defaults(const std::string& spec, const std::string& kernel_name,
                                       const SamplerTrainingDefaults& defaults);

/// `spec` (`NAME[:key=value,...]`) with `options` (`key=value,...`) added for each key it does not
/// set.
std::string with_default_options(const std::string& spec, const std::string& options);

}  // namespace ebmc
