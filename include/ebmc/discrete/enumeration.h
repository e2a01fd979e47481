#pragma once
/// @file enumeration.h
/// Exact enumeration of tiny discrete models: every state, its index and its exact probability.
/// The discrete kernels' transition matrices and the correctness tests are built on these.

#include <torch/torch.h>

#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// Every state of `target` in index order, [K^D, ...]; state s has value (s / K^i) mod K at site
/// i. Throws InputError when there are more than 2^20 states.
torch::Tensor all_states(const DiscreteTarget& target);
/// The index of each state in `all_states` order, [chains] int64.
torch::Tensor state_indices(const DiscreteTarget& target, const torch::Tensor& x);
/// The exactly normalized probabilities π(s) = exp f(s) / Σ exp f, [K^D].
torch::Tensor exact_probabilities(const DiscreteTarget& target);

}  // namespace ebmc
