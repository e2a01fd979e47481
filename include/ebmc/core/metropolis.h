#pragma once
/// @file metropolis.h
/// The one Metropolis-Hastings accept/reject step every kernel shares.

#include <torch/torch.h>

#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"

namespace ebmc {

/// Outcome of a batched Metropolis-Hastings test.
struct MetropolisResult {
  torch::Tensor accepted;     ///< [chains] bool
  torch::Tensor accept_prob;  ///< [chains] min(1, exp(log_ratio)); 0 where the ratio is not finite
  int64_t nonfinite = 0;      ///< chains whose log ratio was NaN or ±Inf (always rejected)
};

/// Accepts each chain with probability min(1, exp(log_ratio)), working in log space
/// (log u < log_ratio with u uniform on (0, 1)).
///
/// A NaN or infinite log ratio — from a NaN/Inf proposal energy, density or gradient — is always
/// rejected and counted in `nonfinite`, so a kernel built on this function never moves a chain to
/// a state whose energy is not finite.
///
///     auto mh = ebmc::metropolis_hastings(current_u - proposed_u, rng);
///     ebmc::select_rows(state, proposal, mh.accepted);
MetropolisResult metropolis_hastings(const torch::Tensor& log_ratio, Rng& rng);

/// The accept/reject step of a Metropolis-Hastings kernel: tests `log_ratio`, moves the accepted
/// chains of `state` to `proposal`, and returns an Info with the acceptance fields filled in
/// (the caller adds its evaluation counts).
///
///     ebmc::Info info = ebmc::accept_or_reject(state, proposal, log_ratio, rng);
///     info.energy_evals = state.chains();
Info accept_or_reject(State& state, const State& proposal, const torch::Tensor& log_ratio,
                      Rng& rng);

}  // namespace ebmc
