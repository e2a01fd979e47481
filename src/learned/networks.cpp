#include "ebmc/learned/networks.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "ebmc/core/row_matmul.h"
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

std::vector<double> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

PlainLinear::PlainLinear(const torch::nn::Linear& layer)
    : weight_t_(to_vector(layer->weight.t())),
      bias_(to_vector(layer->bias)),
      in_(layer->weight.size(1)),
      out_(layer->weight.size(0)) {}

void PlainLinear::apply(const double* x, double* y) const {
  row_times_matrix(x, weight_t_.data(), y, in_, out_);
  for (int64_t i = 0; i < out_; ++i) y[i] += bias_[static_cast<size_t>(i)];
}

void activate_in_place(double* y, int64_t n, bool elu) {
  for (int64_t i = 0; i < n; ++i) {
    if (y[i] > 0 || std::isnan(y[i])) continue;
    // exp − 1 rather than expm1: half the cost, and its absolute error (1e-16) is all an
    // activation needs.
    y[i] = elu ? std::exp(y[i]) - 1.0 : 0.0;
  }
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

void L2hmcNetworkImpl::Plain::forward(const double* a, const double* b, const double* tau,
                                      double* sqt, double* scratch) const {
  const int64_t dim = static_cast<int64_t>(lambda_scale.size());
  double* in = scratch;
  double* h1 = in + 2 * dim + 2;
  double* h2 = h1 + hidden.out();
  std::copy(a, a + dim, in);
  std::copy(b, b + dim, in + dim);
  in[2 * dim] = tau[0];
  in[2 * dim + 1] = tau[1];
  input.apply(in, h1);
  activate_in_place(h1, hidden.in(), false);
  hidden.apply(h1, h2);
  activate_in_place(h2, hidden.out(), false);
  output.apply(h2, sqt);
  for (int64_t i = 0; i < dim; ++i) {
    const auto k = static_cast<size_t>(i);
    sqt[i] = lambda_scale[k] * std::tanh(sqt[i]);
    sqt[dim + i] = lambda_transform[k] * std::tanh(sqt[dim + i]);
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

void StepIndexedMlpImpl::Plain::forward(int64_t step, const double* input, double* output,
                                        double* scratch) const {
  const auto index = static_cast<size_t>(step);
  const int64_t width = hidden.front().out();
  double* h = scratch;
  double* next = scratch + width;
  inputs[index].apply(input, h);
  activate_in_place(h, width, true);
  for (const PlainLinear& layer : hidden) {
    layer.apply(h, next);
    activate_in_place(next, width, true);
    std::swap(h, next);
  }
  outputs[index].apply(h, output);
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
