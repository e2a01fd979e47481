#pragma once
/// @file training_check.h
/// Whether training produced a usable kernel: the check `ebmc train-sampler` runs before it
/// saves a model, and what the benchmarks report beside each trained kernel.

#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "ebmc/learned/learned_kernel.h"

namespace ebmc {

/// How a kernel samples when run from the training chains.
struct MixingCheck {
  int64_t chains = 0, transitions = 0;
  double max_rhat = std::nan("");  ///< largest rank-normalized split R-hat over the coordinates
  double accept = 0;               ///< mean acceptance probability
  double esjd = 0;                 ///< mean squared jump ‖x′ − x‖² per transition
};

/// Runs `kernel` for `transitions` transitions from `chains` [chains, dim] (e.g. the trainer's
/// persistent chains, at most `max_chains` of them) on `target`, with per-chain streams of `seed`.
MixingCheck check_mixing(LearnedKernel& kernel, const Target& target, const torch::Tensor& chains,
                         int64_t transitions, uint64_t seed, int64_t max_chains = 64);

/// Thresholds of `training_failure`.
struct TrainingCheckOptions {
  /// Chains that do not mix: R-hat above this (stuck in separate modes or regions).
  double max_rhat = 1.2;
  /// ESJD stuck near its start: the trained kernel's ESJD below this multiple of the untrained
  /// kernel's on the same chains.
  double min_esjd_gain = 1.0;
};

/// Why a trained kernel is unusable, judged by its check against that of the same kernel before
/// training (`untrained`), or "" when it is usable.
std::string training_failure(const MixingCheck& trained, const MixingCheck& untrained,
                             const TrainingCheckOptions& options = {});

}  // namespace ebmc
