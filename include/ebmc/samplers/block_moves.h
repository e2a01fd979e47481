#pragma once
/// @file block_moves.h
/// Block updates shared by block Gibbs and the Hamming-ball sampler: a block of sites per chain
/// and a set of value offsets applied to it, giving each chain a set of candidate states.

#include <torch/torch.h>

#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// Every offset vector in {0, …, K−1}^b, [K^b, b] int64 (block Gibbs enumerates the block).
torch::Tensor all_offsets(int64_t block, int64_t k);
/// The offset vectors with at most `radius` non-zero entries: the Hamming ball of that radius
/// around any assignment of a block of `block` sites with K values, [P, b] int64.
torch::Tensor hamming_ball_offsets(int64_t block, int64_t radius, int64_t k);

/// States with the values of `blocks` [N, b] shifted by each row of `offsets` ([C, b] shared by
/// all chains, or [N, C, b] per chain; value ← (value + offset) mod K): [N·C, ...] with the C
/// candidates of chain n contiguous.
torch::Tensor shifted_states(const DiscreteTarget& target, const torch::Tensor& x,
                             const torch::Tensor& blocks, const torch::Tensor& offsets);

/// `b` distinct sites per chain, uniformly at random, [chains, b].
torch::Tensor random_blocks(int64_t chains, int64_t sites, int64_t b, Rng& rng);
/// Sites {j·b, …, j·b + b − 1} for a uniformly random j per chain (D must be a multiple of b).
torch::Tensor random_aligned_blocks(int64_t chains, int64_t sites, int64_t b, Rng& rng);
/// Every block the random choice can make, each [b]: all b-subsets of the sites, or the
/// aligned blocks.
std::vector<torch::Tensor> every_block(int64_t sites, int64_t b, bool aligned);

/// Draws one candidate per row of `log_weights` [N, C] with probability ∝ exp, [N] int64.
torch::Tensor sample_categorical(const torch::Tensor& log_weights, Rng& rng);
/// Rows `choice` [N] of the candidates [N·C, ...] from `shifted_states`, [N, ...].
torch::Tensor pick_candidates(const torch::Tensor& candidates, int64_t per_chain,
                              const torch::Tensor& choice);

}  // namespace ebmc
