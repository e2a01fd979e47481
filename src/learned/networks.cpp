#include "ebmc/learned/networks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ebmc/core/row_block_matmul.h"
#include "ebmc/core/row_matmul.h"
#include "ebmc/core/vector_math.h"
#include "ebmc/learned/fused_mlp.h"

namespace ebmc {

void init_linear(torch::nn::Linear& layer, Rng& rng, bool zero) {
  torch::NoGradGuard no_grad;
  if (zero) {
    layer->weight.zero_();
    layer->bias.zero_();
    return;
  }
  const double bound = 1.0 / std::sqrt(static_cast<double>(layer->weight.size(1)));
  layer->weight.copy_((rng.uniform(layer->weight.sizes()) * 2.0 - 1.0) * bound);
  layer->bias.copy_((rng.uniform(layer->bias.sizes()) * 2.0 - 1.0) * bound);
}

torch::nn::Linear seeded_linear(int64_t in, int64_t out, Rng& rng, bool zero) {
  torch::nn::Linear layer(torch::nn::LinearOptions(in, out));
  layer->to(torch::kFloat64);
  init_linear(layer, rng, zero);
  return layer;
}

L2hmcNetworkImpl::L2hmcNetworkImpl(int64_t dim, int64_t hidden, Rng& rng) {
  input_ = register_module("input", seeded_linear(2 * dim + 2, hidden, rng));
  hidden_ = register_module("hidden", seeded_linear(hidden, hidden, rng));
  output_ = register_module("output", seeded_linear(hidden, 3 * dim, rng, true));
  lambda_scale_ = register_parameter("lambda_scale", torch::ones({dim}, torch::kFloat64));
  lambda_transform_ = register_parameter("lambda_transform", torch::ones({dim}, torch::kFloat64));
}

torch::Tensor apply_linear(torch::nn::Linear& layer, const torch::Tensor& x) {
  return row_matmul(x, layer->weight.t()) + layer->bias;
}

const std::vector<std::string>& network_precision_names() {
  static const std::vector<std::string> names = {"float64", "float32"};
  return names;
}

PlainLinear::PlainLinear(const torch::nn::Linear& layer)
    : weight_t_(to_vector(layer->weight.t())),
      bias_(to_vector(layer->bias)),
      weight_t32_(weight_t_.begin(), weight_t_.end()),
      bias32_(bias_.begin(), bias_.end()),
      in_(layer->weight.size(1)),
      out_(layer->weight.size(0)) {}

namespace {

template <typename T>
void add_bias_rows(T* y, const std::vector<T>& bias, int64_t rows) {
  const auto out = static_cast<int64_t>(bias.size());
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t i = 0; i < out; ++i) y[r * out + i] += bias[static_cast<size_t>(i)];
  }
}

}  // namespace

void PlainLinear::apply(const double* x, double* y, int64_t rows) const {
  rows_times_matrix(x, weight_t_.data(), y, rows, in_, out_);
  add_bias_rows(y, bias_, rows);
}

void PlainLinear::apply(const float* x, float* y, int64_t rows) const {
  rows_times_matrix(x, weight_t32_.data(), y, rows, in_, out_);
  add_bias_rows(y, bias32_, rows);
}

namespace {

/// The buffer of `scratch` for T, at least `size` long.
template <typename T>
T* scratch_buffer(PlainScratch& scratch, int64_t size) {
  std::vector<T>* buffer;
  if constexpr (std::is_same_v<T, float>) {
    buffer = &scratch.f32;
  } else {
    buffer = &scratch.f64;
  }
  if (buffer->size() < static_cast<size_t>(size)) buffer->resize(static_cast<size_t>(size));
  return buffer->data();
}

}  // namespace

namespace {

typedef float Floats8 __attribute__((vector_size(32)));
typedef int32_t Ints8 __attribute__((vector_size(32)));

/// ELU in float32 of the 8 values at y, in place, without a libm call (8 lanes at once):
/// exp(v) = 2ᵏ·p(r) with k = round(v / ln 2), r = v − k ln 2 (ln 2 in two parts) and p the
/// degree-6 Taylor polynomial (relative error ≤ 1.2e-7 on |r| ≤ ln 2 / 2, about one float ulp),
/// for v clamped to [−87, 0] (exp(−87) is still a normal float). NaN stays NaN.
__attribute__((always_inline)) inline void elu_eight(float* y) {
  constexpr float kRound = 12582912.0f;  // 1.5·2²³: adding it rounds to an integer
  const Floats8 zero = Floats8{}, low = zero - 87.0f;
  Floats8 v;
  std::memcpy(&v, y, sizeof v);
  Floats8 c = v >= low ? v : low;  // NaN → −87, so no NaN reaches the integer conversion
  c = c < zero ? c : zero;
  const Floats8 k = (c * 1.44269504f + kRound) - kRound;
  const Floats8 r = (c - k * 0.693145752f) - k * 1.42860677e-6f;
  Floats8 p = zero + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const Ints8 scale = (__builtin_convertvector(k, Ints8) + 127) << 23;
  const Floats8 elu = p * __builtin_bit_cast(Floats8, scale) - 1.0f;
  v = v <= zero ? elu : v;
  std::memcpy(y, &v, sizeof v);
}

/// ELU in float32 of y [n], 8 values at a time. Neither clone contracts multiply-adds, so both
/// give the same bits; the last n mod 8 values run through the same code, padded.
__attribute__((target_clones("avx2", "default"))) void elu_float(float* y, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) elu_eight(y + i);
  if (i < n) {
    float rest[8] = {};
    std::copy(y + i, y + n, rest);
    elu_eight(rest);
    std::copy(rest, rest + (n - i), y + i);
  }
}

}  // namespace

void activate_in_place(double* y, int64_t n, bool elu) {
  if (!elu) {
    for (int64_t i = 0; i < n; ++i) y[i] = y[i] > 0 || std::isnan(y[i]) ? y[i] : 0.0;
    return;
  }
  // exp − 1 rather than expm1: its absolute error (1e-16) is all an activation needs, and exp of
  // the whole array is one vector call (`exp_values`); positive values and NaN pass unchanged.
  thread_local std::vector<double> e;
  e.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) e[static_cast<size_t>(i)] = y[i] < 0 ? y[i] : 0.0;
  exp_values(e.data(), e.data(), n);
  for (int64_t i = 0; i < n; ++i) {
    if (y[i] <= 0) y[i] = e[static_cast<size_t>(i)] - 1.0;
  }
}

void activate_in_place(float* y, int64_t n, bool elu) {
  if (elu) return elu_float(y, n);
  for (int64_t i = 0; i < n; ++i) y[i] = y[i] > 0 || y[i] != y[i] ? y[i] : 0.0f;
}

namespace {

/// Whether a network evaluation is recorded for training: it then runs as one fused autograd
/// operation (`fused_mlp`); sampling keeps the per-layer path with batch-independent rows.
bool recording() { return torch::GradMode::is_enabled(); }

}  // namespace

ScaleTranslation L2hmcNetworkImpl::forward(const torch::Tensor& a, const torch::Tensor& b,
                                           const torch::Tensor& tau) {
  const torch::Tensor input = torch::cat({a, b, tau.expand({a.size(0), 2})}, 1);
  if (recording()) {
    return split_scale_translation(fused_mlp(input,
                                             {input_->weight, input_->bias, hidden_->weight,
                                              hidden_->bias, output_->weight, output_->bias},
                                             /*elu=*/false, {lambda_scale_, lambda_transform_}));
  }
  const torch::Tensor h =
      torch::relu(apply_linear(hidden_, torch::relu(apply_linear(input_, input))));
  ScaleTranslation out = split_scale_translation(apply_linear(output_, h));
  out.scale = lambda_scale_ * torch::tanh(out.scale);
  out.transform = lambda_transform_ * torch::tanh(out.transform);
  return out;
}

L2hmcNetworkImpl::Plain L2hmcNetworkImpl::plain() const {
  return {PlainLinear(input_), PlainLinear(hidden_), PlainLinear(output_), to_vector(lambda_scale_),
          to_vector(lambda_transform_)};
}

namespace {

/// L2HMC's layers in T for `rows` states: the inputs (a, b, τ) [rows, 2·dim + 2] into `in`, the
/// raw heads into `heads` [rows, 3·dim]; `hidden` holds 2·rows·width values.
template <typename T>
void l2hmc_layers(const L2hmcNetworkImpl::Plain& p, const double* a, const double* b,
                  const double* tau, T* in, T* hidden, T* heads, int64_t rows) {
  const auto dim = static_cast<int64_t>(p.lambda_scale.size());
  const int64_t in_size = p.input.in();
  for (int64_t r = 0; r < rows; ++r) {
    T* row = in + r * in_size;
    std::copy(a + r * dim, a + (r + 1) * dim, row);
    std::copy(b + r * dim, b + (r + 1) * dim, row + dim);
    row[2 * dim] = static_cast<T>(tau[2 * r]);
    row[2 * dim + 1] = static_cast<T>(tau[2 * r + 1]);
  }
  T* h1 = hidden;
  T* h2 = hidden + rows * p.hidden.out();
  p.input.apply(in, h1, rows);
  activate_in_place(h1, rows * p.hidden.in(), false);
  p.hidden.apply(h1, h2, rows);
  activate_in_place(h2, rows * p.hidden.out(), false);
  p.output.apply(h2, heads, rows);
}

}  // namespace

void L2hmcNetworkImpl::Plain::forward(const double* a, const double* b, const double* tau,
                                      double* sqt, PlainScratch& scratch, int64_t rows) const {
  const int64_t dim = static_cast<int64_t>(lambda_scale.size());
  const int64_t size = rows * (input.in() + 2 * hidden.out());
  if (precision == NetworkPrecision::kFloat64) {
    double* buffer = scratch_buffer<double>(scratch, size);
    l2hmc_layers(*this, a, b, tau, buffer, buffer + rows * input.in(), sqt, rows);
    for (int64_t r = 0; r < rows; ++r) tanh_values(sqt + 3 * dim * r, sqt + 3 * dim * r, 2 * dim);
  } else {
    float* buffer = scratch_buffer<float>(scratch, size + rows * 3 * dim);
    float* heads = buffer + size;
    l2hmc_layers(*this, a, b, tau, buffer, buffer + rows * input.in(), heads, rows);
    for (int64_t r = 0; r < rows; ++r) {
      tanh_values(heads + 3 * dim * r, heads + 3 * dim * r, 2 * dim);
    }
    std::copy(heads, heads + rows * 3 * dim, sqt);
  }
  for (int64_t r = 0; r < rows; ++r) {
    double* row = sqt + 3 * dim * r;
    for (int64_t i = 0; i < dim; ++i) {
      const auto k = static_cast<size_t>(i);
      row[i] *= lambda_scale[k];
      row[dim + i] *= lambda_transform[k];
    }
  }
}

StepIndexedMlpImpl::StepIndexedMlpImpl(int64_t steps, int64_t in, int64_t width, int64_t out,
                                       Rng& rng) {
  for (int64_t s = 0; s < steps; ++s) {
    inputs_.push_back(register_module("input" + std::to_string(s), seeded_linear(in, width, rng)));
  }
  for (int64_t l = 0; l < 3; ++l) {
    hidden_.push_back(
        register_module("hidden" + std::to_string(l), seeded_linear(width, width, rng)));
  }
  for (int64_t s = 0; s < steps; ++s) {
    outputs_.push_back(
        register_module("output" + std::to_string(s), seeded_linear(width, out, rng, true)));
  }
}

torch::Tensor StepIndexedMlpImpl::forward(int64_t step, const torch::Tensor& input) {
  const auto index = static_cast<size_t>(step);
  if (recording()) {
    std::vector<torch::Tensor> weights{inputs_.at(index)->weight, inputs_.at(index)->bias};
    for (auto& layer : hidden_) {
      weights.push_back(layer->weight);
      weights.push_back(layer->bias);
    }
    weights.push_back(outputs_.at(index)->weight);
    weights.push_back(outputs_.at(index)->bias);
    return fused_mlp(input, weights, /*elu=*/true);
  }
  torch::Tensor h = torch::elu(apply_linear(inputs_.at(index), input));
  for (auto& layer : hidden_) h = torch::elu(apply_linear(layer, h));
  return apply_linear(outputs_.at(index), h);
}

StepIndexedMlpImpl::Plain StepIndexedMlpImpl::plain() const {
  Plain p;
  for (const auto& layer : inputs_) p.inputs.emplace_back(layer);
  for (const auto& layer : hidden_) p.hidden.emplace_back(layer);
  for (const auto& layer : outputs_) p.outputs.emplace_back(layer);
  return p;
}

namespace {

/// The layers of step `step` for `rows` rows in T; `h` and `next` hold rows·width values each.
template <typename T>
void step_indexed_layers(const StepIndexedMlpImpl::Plain& p, int64_t step, const T* input,
                         T* output, T* h, T* next, int64_t rows) {
  const auto index = static_cast<size_t>(step);
  const int64_t width = p.hidden.front().out();
  p.inputs[index].apply(input, h, rows);
  activate_in_place(h, rows * width, true);
  for (const PlainLinear& layer : p.hidden) {
    layer.apply(h, next, rows);
    activate_in_place(next, rows * width, true);
    std::swap(h, next);
  }
  p.outputs[index].apply(h, output, rows);
}

}  // namespace

void StepIndexedMlpImpl::Plain::forward(int64_t step, const double* input, double* output,
                                        PlainScratch& scratch, int64_t rows) const {
  const int64_t width = hidden.front().out();
  if (precision == NetworkPrecision::kFloat64) {
    double* buffer = scratch_buffer<double>(scratch, 2 * rows * width);
    step_indexed_layers(*this, step, input, output, buffer, buffer + rows * width, rows);
    return;
  }
  const auto index = static_cast<size_t>(step);
  const int64_t in = inputs[index].in(), out = outputs[index].out();
  float* buffer = scratch_buffer<float>(scratch, rows * (in + 2 * width + out));
  float* in32 = buffer;
  float* out32 = in32 + rows * in;
  float* h = out32 + rows * out;
  std::copy(input, input + rows * in, in32);
  step_indexed_layers(*this, step, in32, out32, h, h + rows * width, rows);
  std::copy(out32, out32 + rows * out, output);
}

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"silu", "relu", "elu", "tanh"};
  return names;
}

torch::Tensor activate(Activation activation, const torch::Tensor& x) {
  switch (activation) {
    case Activation::kSilu:
      return torch::silu(x);
    case Activation::kRelu:
      return torch::relu(x);
    case Activation::kElu:
      return torch::elu(x);
    case Activation::kTanh:
      return torch::tanh(x);
  }
  return x;
}

MlpImpl::MlpImpl(int64_t in, int64_t hidden, int64_t layers, int64_t out, Activation activation,
                 Rng& rng, double output_scale)
    : activation_(activation) {
  int64_t width = in;
  for (int64_t l = 0; l < layers; ++l) {
    hidden_.push_back(
        register_module("hidden" + std::to_string(l), seeded_linear(width, hidden, rng)));
    width = hidden;
  }
  output_ = register_module("output", seeded_linear(width, out, rng));
  torch::NoGradGuard no_grad;
  output_->weight.mul_(output_scale);
  output_->bias.zero_();
}

torch::Tensor MlpImpl::forward(const torch::Tensor& input) {
  torch::Tensor h = input;
  for (auto& layer : hidden_) h = activate(activation_, apply_linear(layer, h));
  return apply_linear(output_, h);
}

torch::Tensor MlpImpl::forward(const torch::Tensor& input, double dropout, Rng& rng) {
  torch::Tensor h = input;
  for (auto& layer : hidden_) {
    h = activate(activation_, apply_linear(layer, h));
    if (dropout > 0) h = h * (rng.uniform(h.sizes()) >= dropout).to(h.dtype()) / (1 - dropout);
  }
  return apply_linear(output_, h);
}

ScaleTranslation split_scale_translation(const torch::Tensor& output) {
  std::vector<torch::Tensor> parts = output.chunk(3, 1);
  return {parts[0], parts[1], parts[2]};
}

torch::Tensor random_half_masks(int64_t count, int64_t dim, Rng& rng) {
  torch::Tensor masks = torch::zeros({count, dim}, torch::kFloat64);
  for (int64_t t = 0; t < count; ++t) {
    torch::Tensor order = torch::argsort(rng.uniform({dim}), int64_t{0});
    masks[t].index_fill_(0, order.narrow(0, 0, dim / 2), 1.0);
  }
  return masks;
}

}  // namespace ebmc
