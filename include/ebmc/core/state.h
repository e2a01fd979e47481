#pragma once
/// @file state.h
/// What a kernel carries between steps (State) and what one step reports (Info).

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ebmc {

/// The current position of every chain with its cached energy (and gradient, for kernels that
/// use one), so that a step never re-evaluates the target at the current point.
struct State {
  torch::Tensor x;       ///< [chains, dim]
  torch::Tensor energy;  ///< [chains]
  torch::Tensor grad;    ///< [chains, dim]; undefined for gradient-free kernels

  /// Number of chains.
  int64_t chains() const { return x.size(0); }
};

/// What one transition did, for every chain.
///
/// The fields are what every kernel reports. A kernel adds its own named per-chain statistics
/// to `stats`, in the order of its `stat_names()`, with Stan's names where they exist
/// (`stepsize__`, `treedepth__`, `n_leapfrog__`, `divergent__`, `energy__`; `flips__` for
/// discrete kernels). The runner adds `lp__` (= −U) and `accept_stat__` (= accept_prob) itself.
///
/// Evaluation counts are per chain: one batched call on B chains counts B evaluations, so
/// "ESS per gradient evaluation" compares fairly across batch sizes.
struct Info {
  torch::Tensor accept_prob;   ///< [chains] Metropolis-Hastings acceptance probability
  torch::Tensor accepted;      ///< [chains] bool
  int64_t nonfinite = 0;       ///< proposals rejected because their energy or ratio was NaN/Inf
  int64_t energy_evals = 0;    ///< per-chain energy evaluations done by this step
  int64_t gradient_evals = 0;  ///< per-chain gradient evaluations done by this step
  double seconds = 0.0;        ///< wall time of this step (set by the runner)
  /// The kernel's own statistics: (name, [chains] values), in `stat_names()` order.
  std::vector<std::pair<std::string, torch::Tensor>> stats;

  /// Appends statistic `name` with per-chain `values` (any numeric or bool dtype).
  void add_stat(std::string name, torch::Tensor values) {
    stats.emplace_back(std::move(name), std::move(values));
  }
  /// The statistic `name`, or an undefined tensor when the kernel did not report it.
  torch::Tensor stat(const std::string& name) const {
    for (const auto& [key, values] : stats) {
      if (key == name) return values;
    }
    return {};
  }
};

/// Row-wise choice between two tensors whose first dimension is chains: row i of `a` where
/// `mask[i]` is true, of `b` elsewhere. Undefined `b` gives an undefined result.
torch::Tensor where_rows(const torch::Tensor& mask, const torch::Tensor& a, const torch::Tensor& b);

/// Keeps, row by row, the proposal where `accepted` is true and the current state elsewhere.
/// Fields undefined in `current` stay undefined.
void select_rows(State& current, const State& proposal, const torch::Tensor& accepted);

}  // namespace ebmc
