#pragma once
/// @file networks.h
/// The small MLPs the learned kernels are built from, with seeded initialization (no global RNG).

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/tensor_values.h"

namespace ebmc {

/// Scale S, gradient-scale Q and translation T of one coupling update, each [chains, dim].
struct ScaleTranslation {
  torch::Tensor scale;      ///< S
  torch::Tensor transform;  ///< Q
  torch::Tensor translate;  ///< T
};

/// Fills `layer` with U(−1/√fan_in, 1/√fan_in) weights and biases drawn from `rng` (PyTorch's
/// default range), or with zeros when `zero` is set (output layers, so a kernel starts as its
/// classical special case).
void init_linear(torch::nn::Linear& layer, Rng& rng, bool zero = false);

/// A float64 Linear(in, out) initialized by `init_linear`.
torch::nn::Linear seeded_linear(int64_t in, int64_t out, Rng& rng, bool zero = false);

/// `layer(x)`, with rows that do not depend on the batch size when no gradient is needed
/// (sampling with a trained network); see row_matmul.
torch::Tensor apply_linear(torch::nn::Linear& layer, const torch::Tensor& x);

/// The arithmetic of a trained network on the learned kernels' fused sampling path. Training
/// always runs in float64; a kernel sampled with float32 networks computes its proposal and both
/// of its densities with the same float32 networks, so the chain stays exact (the MH ratio is
/// that of the proposal it draws) while the networks cost about a quarter (`rows_times_matrix`).
enum class NetworkPrecision { kFloat64, kFloat32 };

/// `float64`, `float32`: the names of `NetworkPrecision`, in enum order.
const std::vector<std::string>& network_precision_names();

/// Chains a learned kernel's fused transition moves in lockstep (`EntropyChain`, `L2hmcChain`):
/// enough for the matrix kernels' blocks of 4 rows to load each weight once per 4 chains, few
/// enough to stay in cache.
constexpr int64_t kLockstepChains = 8;

/// Per-thread work buffers of the plain networks' evaluations (grown on first use).
struct PlainScratch {
  std::vector<double> f64;
  std::vector<float> f32;
};

/// A Linear layer copied into raw memory, for evaluating a trained network for a few states at a
/// time without tensors (the learned kernels' fused sampling path), in float64 or float32.
class PlainLinear {
 public:
  PlainLinear() = default;
  /// Copies the weights (transposed) and bias of `layer`, in float64 and in float32.
  explicit PlainLinear(const torch::nn::Linear& layer);
  int64_t in() const { return in_; }
  int64_t out() const { return out_; }
  /// y [rows, out] = x Wᵀ + b for x [rows, in]: each row the same bits as that row of
  /// `apply_linear(layer, ·)`, whatever `rows`.
  void apply(const double* x, double* y, int64_t rows = 1) const;
  /// The same in float32 (fused multiply-adds; each row's bits independent of `rows`).
  void apply(const float* x, float* y, int64_t rows = 1) const;

 private:
  std::vector<double> weight_t_, bias_;  ///< Wᵀ [in, out] row-major, b [out]
  std::vector<float> weight_t32_, bias32_;
  int64_t in_ = 0, out_ = 0;
};

/// Applies ReLU (`elu` false) or ELU (`elu` true) in place to y [n].
void activate_in_place(double* y, int64_t n, bool elu);
void activate_in_place(float* y, int64_t n, bool elu);

/// L2HMC's Q, S, T network (levy-2018 appendix E.2): h₁ = ReLU(W₁a + W₂b + W₃τ(t) + b₁),
/// h₂ = ReLU(W₄h₁ + b₄), S = λ_s ⊙ tanh(W_s h₂ + b_s), Q = λ_q ⊙ tanh(W_q h₂ + b_q),
/// T = W_t h₂ + b_t, with trainable per-coordinate λ_s, λ_q (initialized to 1) and zero output
/// layers. The v-network takes (a, b) = (x, ∂U(x)), the x-network (masked x, v). W₁, W₂, W₃ are
/// stored as one layer on the concatenated input, and the three heads as one output layer (the
/// same function with a third of the tensor operations, which dominate on small problems).
class L2hmcNetworkImpl : public torch::nn::Module {
 public:
  L2hmcNetworkImpl(int64_t dim, int64_t hidden, Rng& rng);
  /// S, Q, T at inputs a, b [chains, dim] and time encoding `tau` ([2], or [chains, 2] per row).
  ScaleTranslation forward(const torch::Tensor& a, const torch::Tensor& b,
                           const torch::Tensor& tau);

  /// The network in raw memory, for a few states at a time.
  struct Plain {
    PlainLinear input, hidden, output;
    std::vector<double> lambda_scale, lambda_transform;
    NetworkPrecision precision = NetworkPrecision::kFloat64;
    /// S, Q, T ([rows, 3·dim]: each row's S, Q, T contiguous in `sqt`) at a, b [rows, dim] and
    /// τ [rows, 2], every row evaluated with the same weight loads and with the bits it gets
    /// alone. In float64 it agrees with `forward` to rounding.
    void forward(const double* a, const double* b, const double* tau, double* sqt,
                 PlainScratch& scratch, int64_t rows = 1) const;
  };
  /// A copy of the current weights.
  Plain plain() const;

 private:
  torch::nn::Linear input_{nullptr}, hidden_{nullptr}, output_{nullptr};
  torch::Tensor lambda_scale_, lambda_transform_;
};
TORCH_MODULE(L2hmcNetwork);

/// The proposal-entropy sampler's network (li-chen-sommer-2021 appendix A.2): a 5-layer MLP of
/// constant width with ELU activations whose input and output layers are indexed by the coupling
/// step while the three hidden layers are shared; output layers start at zero.
class StepIndexedMlpImpl : public torch::nn::Module {
 public:
  StepIndexedMlpImpl(int64_t steps, int64_t in, int64_t width, int64_t out, Rng& rng);
  /// The output [chains, out] of step `step` at `input` [chains, in].
  torch::Tensor forward(int64_t step, const torch::Tensor& input);

  /// The network in raw memory, for a few states at a time.
  struct Plain {
    std::vector<PlainLinear> inputs, outputs, hidden;
    NetworkPrecision precision = NetworkPrecision::kFloat64;
    /// The outputs [rows, out] of step `step` at `input` [rows, in], every row evaluated with the
    /// same weight loads (each row's result does not depend on `rows`). In float64 it agrees
    /// with `forward` to rounding.
    void forward(int64_t step, const double* input, double* output, PlainScratch& scratch,
                 int64_t rows = 1) const;
  };
  /// A copy of the current weights.
  Plain plain() const;

 private:
  std::vector<torch::nn::Linear> inputs_, outputs_;
  std::vector<torch::nn::Linear> hidden_;
};
TORCH_MODULE(StepIndexedMlp);

/// Hidden-layer nonlinearities of `Mlp`.
enum class Activation { kSilu, kRelu, kElu, kTanh };

/// The names of `Activation`, in enum order (`silu`, `relu`, `elu`, `tanh`), for options.
const std::vector<std::string>& activation_names();

/// `activation` applied elementwise.
torch::Tensor activate(Activation activation, const torch::Tensor& x);

/// A plain multilayer perceptron: `layers` hidden layers of width `hidden` with `activation`,
/// then a linear output layer of width `out`. Hidden layers start with PyTorch's default range
/// (drawn from `rng`); the output layer's weights are that range times `output_scale` (1e-6: the
/// network starts near zero, so a flow starts at the identity and an energy at zero), its bias 0.
/// Rows of the output do not depend on the batch size when no gradient is needed (row_matmul).
///
///     ebmc::Mlp net(2, 16, 3, 4, ebmc::Activation::kSilu, rng, 1e-6);
///     torch::Tensor y = net->forward(x);  // [rows, 4]
class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t in, int64_t hidden, int64_t layers, int64_t out, Activation activation, Rng& rng,
          double output_scale = 1.0);
  torch::Tensor forward(const torch::Tensor& input);
  /// The same with dropout of rate `dropout` after every hidden activation, masks drawn from
  /// `rng` (reproducible, unlike the global generator), surviving units scaled by 1/(1 − rate).
  torch::Tensor forward(const torch::Tensor& input, double dropout, Rng& rng);

 private:
  std::vector<torch::nn::Linear> hidden_;
  torch::nn::Linear output_{nullptr};
  Activation activation_;
};
TORCH_MODULE(Mlp);

/// Splits the [chains, 3·dim] output of a StepIndexedMlp into S, Q, T.
ScaleTranslation split_scale_translation(const torch::Tensor& output);

/// `count` fixed random binary masks [count, dim] with ⌊dim/2⌋ ones each, drawn from `rng`.
torch::Tensor random_half_masks(int64_t count, int64_t dim, Rng& rng);

}  // namespace ebmc
