#pragma once
/// @file per_chain.h
/// Kernels that run each chain on its own in raw memory (the fused CPU path): the
/// Metropolis–Hastings decision of one chain and the loop that runs every chain of a state on its
/// own stream, in parallel, and reports the batch's `Info`.

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <utility>
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

/// Runs `move_block(workspace, first, count, rows, streams, decisions)` for each block of at most
/// `block` consecutive chains (the first being chain `first`) of `state` (float64 CPU, contiguous),
/// in parallel over runs of at least `grain` chains with one `make_workspace()` per run. The move
/// reads each chain's current state from `rows[i]`, draws only from `streams[i]` (that chain's
/// stream of the per-chain `rng`), overwrites `rows[i]` when it accepts and writes `decisions[i]`;
/// so a chain's draws depend on neither the thread count, nor the block it falls in, nor its
/// neighbours — a block only lets a kernel evaluate its chains in lockstep (one pass over a
/// network's weights for all of them). Returns the batch's acceptance, decisions and non-finite
/// count; `state` gets the new rows (fresh tensors: earlier ones stay untouched).
template <class MakeWorkspace, class MoveBlock>
Info chain_block_transitions(State& state, Rng& rng, int64_t grain, int64_t block,
                             MakeWorkspace&& make_workspace, MoveBlock&& move_block) {
  const int64_t chains = state.chains(), dim = state.x.size(1);
  block = std::max<int64_t>(1, block);
  torch::Tensor x = state.x.clone(), energy = state.energy.clone();
  torch::Tensor grad = state.grad.defined() ? state.grad.clone() : torch::Tensor();
  torch::Tensor accept_prob = torch::empty({chains}, torch::kFloat64);
  torch::Tensor accepted = torch::empty({chains}, torch::kBool);
  double *xs = x.data_ptr<double>(), *es = energy.data_ptr<double>();
  double* gs = grad.defined() ? grad.data_ptr<double>() : nullptr;
  double* prob = accept_prob.data_ptr<double>();
  bool* taken = accepted.data_ptr<bool>();
  std::vector<char> nonfinite(static_cast<size_t>(chains), 0);
  at::parallel_for(0, chains, std::max(grain, block), [&](int64_t begin, int64_t end) {
    auto workspace = make_workspace();
    std::vector<ChainRow> rows;
    std::vector<ChainStream> streams;
    std::vector<ChainDecision> decisions(static_cast<size_t>(block));
    rows.reserve(static_cast<size_t>(block));
    streams.reserve(static_cast<size_t>(block));
    for (int64_t first = begin; first < end; first += block) {
      const int64_t count = std::min(block, end - first);
      rows.clear();
      streams.clear();
      for (int64_t c = first; c < first + count; ++c) {
        rows.push_back({xs + c * dim, es + c, gs == nullptr ? nullptr : gs + c * dim});
        streams.push_back(rng.chain_stream(c));
      }
      move_block(workspace, first, count, rows.data(), streams.data(), decisions.data());
      for (int64_t i = 0; i < count; ++i) {
        const ChainDecision& d = decisions[static_cast<size_t>(i)];
        prob[first + i] = d.accept_prob;
        taken[first + i] = d.accepted;
        nonfinite[static_cast<size_t>(first + i)] = d.nonfinite;
      }
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

/// Runs `move(workspace, c, row, stream)` for every chain c of `state` on its own (blocks of one
/// chain of `chain_block_transitions`), in parallel over runs of `grain` chains with one
/// `make_workspace()` per run; `move` returns chain c's decision.
template <class MakeWorkspace, class Move>
Info per_chain_transitions(State& state, Rng& rng, int64_t grain, MakeWorkspace&& make_workspace,
                           Move&& move) {
  return chain_block_transitions(
      state, rng, grain, 1, std::forward<MakeWorkspace>(make_workspace),
      [&move](auto& workspace, int64_t first, int64_t, const ChainRow* rows, ChainStream* streams,
              ChainDecision* decisions) {
        decisions[0] = move(workspace, first, rows[0], streams[0]);
      });
}

}  // namespace ebmc
