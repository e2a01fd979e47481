#pragma once
/// @file fused_mlp.h
/// A multilayer perceptron as one autograd operation: the training-time form of the learned
/// kernels' small networks, whose cost on a CPU is the fixed cost of each tensor operation
/// (about 17 recorded operations and as many backward nodes per evaluation of an L2HMC network,
/// 40–80 evaluations per training iteration).

#include <torch/torch.h>

#include <vector>

namespace ebmc {

/// y = L_k(σ(… σ(L_1(x)) …)) for the layers L_i(h) = h W_iᵀ + b_i given as
/// `weights` = {W_1, b_1, …, W_k, b_k} (torch::nn::Linear's layout), σ = ELU (`elu`) or ReLU on
/// every layer but the last; then, when `lambdas` = {λ_1, …, λ_m} (each [c]) is not empty, the
/// output's first m·c columns become λ_j ⊙ tanh(·) block by block (L2HMC's scale heads).
/// One node in the autograd graph whose backward is written out (first derivatives only: no
/// create_graph through it). Agrees with the same network composed of torch operations to
/// rounding (tested against autograd).
torch::Tensor fused_mlp(const torch::Tensor& input, const std::vector<torch::Tensor>& weights,
                        bool elu, const std::vector<torch::Tensor>& lambdas = {});

}  // namespace ebmc
