#pragma once
/// @file per_chain.h
/// Kernels that run each chain on its own in raw memory (the fused CPU path): the
/// Metropolis–Hastings decision of one chain and the loop that runs every chain of a state on its
/// own stream, in parallel, and reports the batch's `Info`.

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/state.h"

namespace ebmc {

/// What one chain's Metropolis–Hastings step decided.
struct ChainDecision {
  bool accepted = false;
  double accept_prob = 0.0;
  bool nonfinite = false;  ///< the log ratio was NaN/Inf (rejected)
};

/// The decision for `log_ratio` with the uniform `u` drawn from the chain's stream: row c of
/// `metropolis_hastings` (accepted iff the ratio is finite and log u < log_ratio).
ChainDecision metropolis_row(double log_ratio, double u);

/// One chain's state in raw memory: x [dim], its energy and (when the kernel uses it) ∇U [dim].
struct ChainRow {
  double* x;
  double* energy;
  double* grad;  ///< null when the state carries no gradient
};

/// Runs `move(workspace, c, row, stream)` for every chain c of `state` (float64 CPU, contiguous),
/// in parallel over blocks of `grain` chains with one `make_workspace()` per block.
/// The move reads chain c's current state from `row`, draws only from `stream` (chain c's stream
/// of the per-chain `rng`) and overwrites `row` when it accepts, so a chain's draws depend on
/// neither the thread count nor its neighbours. Returns the batch's acceptance, decisions and
/// non-finite count; `state` gets the new rows (fresh tensors: earlier ones stay untouched).
template <class MakeWorkspace, class Move>
Info per_chain_transitions(State& state, Rng& rng, int64_t grain, MakeWorkspace&& make_workspace,
                           Move&& move) {
  const int64_t chains = state.chains(), dim = state.x.size(1);
  torch::Tensor x = state.x.clone(), energy = state.energy.clone();
  torch::Tensor grad = state.grad.defined() ? state.grad.clone() : torch::Tensor();
  torch::Tensor accept_prob = torch::empty({chains}, torch::kFloat64);
  torch::Tensor accepted = torch::empty({chains}, torch::kBool);
  double *xs = x.data_ptr<double>(), *es = energy.data_ptr<double>();
  double* gs = grad.defined() ? grad.data_ptr<double>() : nullptr;
  double* prob = accept_prob.data_ptr<double>();
  bool* taken = accepted.data_ptr<bool>();
  std::vector<char> nonfinite(static_cast<size_t>(chains), 0);
  at::parallel_for(0, chains, std::max<int64_t>(1, grain), [&](int64_t begin, int64_t end) {
    auto workspace = make_workspace();
    for (int64_t c = begin; c < end; ++c) {
      ChainStream stream = rng.chain_stream(c);
      const ChainRow row{xs + c * dim, es + c, gs == nullptr ? nullptr : gs + c * dim};
      const ChainDecision d = move(workspace, c, row, stream);
      prob[c] = d.accept_prob;
      taken[c] = d.accepted;
      nonfinite[static_cast<size_t>(c)] = d.nonfinite;
    }
  });
  state.x = x;
  state.energy = energy;
  state.grad = grad;
  Info info;
  info.accept_prob = accept_prob;
  info.accepted = accepted;
  info.nonfinite = std::count(nonfinite.begin(), nonfinite.end(), 1);
  return info;
}

}  // namespace ebmc
