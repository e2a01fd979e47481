#include "ebmc/learned/robust_training.h"

#include <algorithm>
#include <cmath>

#include "ebmc/learned/learned_registry.h"
#include "ebmc/learned/training_loop.h"

namespace ebmc {

uint64_t attempt_seed(uint64_t seed, int64_t attempt) {
  return seed + static_cast<uint64_t>(attempt) * 1000003u;
}

std::string degenerate_training(const LearnedKernel& kernel, const TrainingProgress& last,
                                double recent_accept) {
  if (!(recent_accept >= 1e-3)) {
    return "the acceptance collapsed (mean " + std::to_string(recent_accept) +
           " over the last tenth of training)";
  }
  const double step = kernel.step_size();
  if (std::isfinite(step) && step < 1e-8) {
    return "the step size collapsed to " + std::to_string(step);
  }
  return skipped_iterations_failure(last.iteration, last.skipped);
}

namespace {

TrainingAttempt train_once(const std::string& sampler_spec, const std::string& target_spec,
                           const Target& target, const TrainerOptions& options, uint64_t seed,
                           int64_t attempt, const RestartOptions& restart,
                           const AttemptHooks& hooks) {
  TrainingAttempt a;
  a.seed = seed;
  a.attempt = attempt;
  Rng init_rng(seed);
  a.kernel = make_learned_kernel(sampler_spec, target.dim(), init_rng);
  a.kernel->set_trained_for(describe_target(target_spec, target));
  a.trainer = std::make_unique<SamplerTrainer>(a.kernel, target, options, seed);
  if (hooks.before) hooks.before(*a.trainer, attempt);
  // Mean acceptance over the last tenth of training: the kernel a model file would hold.
  const int64_t tail = std::max<int64_t>(1, options.steps() / 10);
  double tail_accept = 0;
  int64_t tail_count = 0;
  a.trainer->train([&](const TrainingProgress& p) {
    a.last = p;
    if (p.iteration > p.steps - tail) {
      tail_accept += p.accept;
      ++tail_count;
    }
    if (hooks.report) hooks.report(p, attempt);
  });
  if (hooks.after) hooks.after(a);
  if (a.trainer->interrupted()) return a;
  a.failure = degenerate_training(*a.kernel, a.last,
                                  tail_count > 0 ? tail_accept / tail_count : a.last.accept);
  if (a.failure.empty() && restart.check_transitions > 0) {
    // The trained kernel and the same kernel untrained, from the training chains (prepared as
    // training prepares it, e.g. L2HMC's step size adapted, on a copy of those chains).
    a.check = check_mixing(*a.kernel, target, a.trainer->chains(), restart.check_transitions, seed);
    Rng untrained_rng(seed);
    std::shared_ptr<LearnedKernel> untrained =
        make_learned_kernel(sampler_spec, target.dim(), untrained_rng);
    torch::Tensor prepared_chains = a.trainer->chains().clone();
    untrained->prepare_training(target, prepared_chains, untrained_rng);
    a.untrained =
        check_mixing(*untrained, target, a.trainer->chains(), restart.check_transitions, seed);
    a.failure = training_failure(a.check, a.untrained, restart.check);
  }
  return a;
}

}  // namespace

TrainingAttempt train_until_usable(const std::string& sampler_spec, const std::string& target_spec,
                                   const Target& target, const TrainerOptions& options,
                                   uint64_t seed, const RestartOptions& restart,
                                   const AttemptHooks& hooks) {
  for (int64_t attempt = 0;; ++attempt) {
    TrainingAttempt a = train_once(sampler_spec, target_spec, target, options,
                                   attempt_seed(seed, attempt), attempt, restart, hooks);
    if (a.failure.empty() || a.trainer->interrupted() || attempt >= restart.restarts) return a;
    if (hooks.restarting) hooks.restarting(a, attempt_seed(seed, attempt + 1));
  }
}

}  // namespace ebmc
