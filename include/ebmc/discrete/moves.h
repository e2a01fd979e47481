#pragma once
/// @file moves.h
/// Single-site moves on discrete states, shared by the discrete samplers and the enumeration
/// tests. A move index m addresses a flip of site m (binary) or "set site m / K to value m % K"
/// (categorical), matching `DiscreteTarget::local_differences`.

#include <torch/torch.h>

#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// Applies one move per chain (`moves` [chains] int64) and returns the new states.
torch::Tensor apply_moves(const DiscreteTarget& target, const torch::Tensor& x,
                          const torch::Tensor& moves);
/// Applies N moves per chain in order (`moves` [chains, N] int64). Binary flips compose, so a
/// site flipped twice is unchanged.
torch::Tensor apply_move_sequences(const DiscreteTarget& target, const torch::Tensor& x,
                                   const torch::Tensor& moves);
/// The moves that undo `moves` [chains] made from `x`: the same flips for binary targets,
/// "set the site back to its value in x" for categorical ones.
torch::Tensor reverse_moves(const DiscreteTarget& target, const torch::Tensor& x,
                            const torch::Tensor& moves);
/// [chains, M] bool: true where a move would change nothing (a categorical site set to its
/// current value); all false for binary targets.
torch::Tensor no_op_moves(const DiscreteTarget& target, const torch::Tensor& x);
/// The linearized local differences of Gibbs-With-Gradients from f's gradient, [chains, M]:
/// d̃ = −(2x − 1) ⊙ ∇f (binary, eq. 3) or d̃_ij = ∇f_ij − x_iᵀ∇f_i (categorical, eq. 4).
torch::Tensor linearized_differences(const DiscreteTarget& target, const torch::Tensor& x,
                                     const torch::Tensor& grad_log_prob);
/// Number of sites that differ between `a` and `b`, per chain, [chains] float64.
torch::Tensor hamming_distance(const DiscreteTarget& target, const torch::Tensor& a,
                               const torch::Tensor& b);
/// The value index of every site, [chains, D] int64 (binary: the bit itself).
torch::Tensor site_values(const DiscreteTarget& target, const torch::Tensor& x);
/// States from value indices [chains, D] int64 (one-hot for categorical targets).
torch::Tensor states_from_values(const DiscreteTarget& target, const torch::Tensor& values);

}  // namespace ebmc
