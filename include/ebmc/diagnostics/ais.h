#pragma once
/// @file ais.h
/// Annealed importance sampling (Neal 2001) for the log normalizing constant of a discrete
/// target: chains start from a factorized base p_n and move through f_t = β_t f + (1 − β_t) log p_n
/// with any registered discrete sampler; the log-mean-exp of the importance weights estimates
/// log Z = log Σ exp f (grathwohl-2021 section 8's test log-likelihoods).

#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// A distribution with independent sites: log probabilities [D, K] per site and value
/// (K = 2 for binary targets: column 1 is P(x = 1)).
struct FactorizedBase {
  torch::Tensor log_probs;
  /// log p_n(x), [chains], for binary [chains, D] or one-hot [chains, D, K] states.
  torch::Tensor log_prob(const torch::Tensor& x, bool categorical) const;
  /// `chains` independent draws, shaped as the target's states.
  torch::Tensor sample(int64_t chains, bool categorical, Rng& rng) const;
};

/// The uniform base of `target`.
FactorizedBase uniform_base(const DiscreteTarget& target);
/// Site marginals of `states` (shaped as the target's) with `smoothing` pseudo-counts per value,
/// so that no value has probability 0.
FactorizedBase fitted_base(const DiscreteTarget& target, const torch::Tensor& states,
                           double smoothing = 1.0);

/// Inverse temperatures β_0 = 0 < … < β_T = 1.
enum class BetaSchedule {
  kLinear,  ///< β_t = t/T
  kSigmoid,  ///< σ(δ(2t/T − 1)) rescaled to [0, 1], δ = 4 (Grosse et al. 2013): dense at both ends
};
/// `linear` | `sigmoid`; InputError at `where` otherwise.
BetaSchedule parse_beta_schedule(const std::string& text, const std::string& where);
/// The T + 1 inverse temperatures of `schedule`.
std::vector<double> beta_schedule(BetaSchedule schedule, int64_t steps);

/// Options of an AIS run.
struct AisOptions {
  int64_t steps = 1000;  ///< intermediate distributions T
  int64_t chains = 100;  ///< independent AIS chains (importance samples)
  BetaSchedule schedule = BetaSchedule::kLinear;
  std::string sampler = "gwg";  ///< discrete sampler spec for the transitions
  int64_t sweeps = 1;           ///< sampler steps per temperature
};

/// The estimate and its diagnostics.
struct AisResult {
  double log_z = 0;         ///< log mean exp(w)
  double log_z_stderr = 0;  ///< delta method: sd(exp(w − max)) / (√M · mean(exp(w − max)))
  double weights_ess = 0;   ///< (Σ exp w)² / Σ exp 2w, between 1 and M
  int64_t steps = 0, chains = 0;
  torch::Tensor log_weights;  ///< [chains]
  torch::Tensor states;       ///< the chains' final states, approximately from the target
  nlohmann::json to_json() const;
};

/// Runs AIS from `base` to `target`. Throws InputError for bad options or a sampler that cannot
/// run on annealed targets.
AisResult annealed_importance_sampling(const DiscreteTarget& target, const FactorizedBase& base,
                                       const AisOptions& options, Rng& rng);

}  // namespace ebmc
