#include "ebmc/learned/training_loop.h"

#include <filesystem>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/distributed/process_group.h"

namespace ebmc {

void run_training_loop(const TrainingLoopSettings& settings, torch::optim::Adam& optimizer,
                       const std::vector<torch::Tensor>& parameters, TrainingLoopState& state,
                       const LossAndBackward& body, const CheckpointWriter& checkpoint,
                       const AfterIteration& after) {
  Stopwatch clock;
  ProcessGroup* group = settings.group;
  // Rank 0 alone writes checkpoints (every rank holds the same state).
  const bool checkpoints = !settings.checkpoint_path.empty() && (!group || group->is_root());
  const auto stop = [&] {
    // Keep everything learned so far in the checkpoint and stop.
    state.interrupted = true;
    if (checkpoints) checkpoint(settings.checkpoint_path, true);
  };
  while (state.iteration < settings.steps) {
    // One process stops before an iteration; data-parallel ranks agree on a signal with the
    // gradient sum (one collective less per iteration) and stop after that iteration's step.
    if (!group && interrupt_requested()) {
      stop();
      break;
    }
    double lr =
        scheduled_learning_rate(settings.schedule, settings.learning_rate,
                                settings.min_learning_rate, state.iteration, settings.steps);
    if (state.iteration < settings.warmup_steps) {
      lr *= static_cast<double>(state.iteration + 1) / static_cast<double>(settings.warmup_steps);
    }
    set_learning_rate(optimizer, lr);
    optimizer.zero_grad();
    double loss = body(lr);
    bool signalled = false;
    if (group) loss = sum_over_ranks(*group, parameters, loss, &signalled);
    if (!step_if_finite(optimizer, parameters, loss, settings.clip_norm)) {
      ++state.skipped;
    } else if (settings.after_step) {
      settings.after_step();
    }
    ++state.iteration;
    if (checkpoints && settings.checkpoint_every > 0 &&
        state.iteration % settings.checkpoint_every == 0) {
      checkpoint(settings.checkpoint_path, false);
    }
    if (after) after(loss, lr, clock.seconds());
    if (signalled) {
      stop();
      break;
    }
  }
}

std::string skipped_iterations_failure(int64_t iterations, int64_t skipped) {
  if (iterations == 0 || 2 * skipped <= iterations) return "";
  return std::to_string(skipped) + " of " + std::to_string(iterations) +
         " iterations had a non-finite loss or gradient";
}

std::string file_to_resume(const std::string& checkpoint, const std::string& finished) {
  if (std::filesystem::exists(checkpoint)) return checkpoint;
  if (std::filesystem::exists(finished)) return finished;
  throw InputError("nothing to resume: neither " + checkpoint + " nor " + finished + " exists",
                   "--resume");
}

void refuse_unresumed_checkpoint(const std::string& checkpoint, bool resume) {
  if (!resume && std::filesystem::exists(checkpoint)) {
    throw InputError(
        "a checkpoint of an interrupted run exists; pass --resume to continue it or delete it",
        checkpoint);
  }
}

void throw_if_interrupted(bool interrupted, int64_t iteration, const std::string& checkpoint) {
  if (!interrupted) return;
  throw Interrupted("interrupted at iteration " + std::to_string(iteration) + "; the checkpoint " +
                        checkpoint + " holds it: continue with --resume",
                    interrupt_signal());
}

void fail_training_if(const std::string& failure, const std::string& product,
                      const std::string& checkpoint, const std::string& where,
                      const std::function<void()>& save, const std::string& hint) {
  if (failure.empty()) return;
  save();
  throw RunFailed("training failed: " + failure + "; no " + product + " written (the checkpoint " +
                      checkpoint + " keeps the run" + hint + ")",
                  where);
}

}  // namespace ebmc
