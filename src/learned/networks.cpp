#include "ebmc/learned/networks.h"

#include <cmath>
#include <string>

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

namespace {

torch::nn::Linear seeded_linear(int64_t in, int64_t out, Rng& rng, bool zero = false) {
  torch::nn::Linear layer(torch::nn::LinearOptions(in, out));
  layer->to(torch::kFloat64);
  init_linear(layer, rng, zero);
  return layer;
}

}  // namespace

L2hmcNetworkImpl::L2hmcNetworkImpl(int64_t dim, int64_t hidden, Rng& rng) {
  in_a_ = register_module("in_a", seeded_linear(dim, hidden, rng));
  in_b_ = register_module("in_b", seeded_linear(dim, hidden, rng));
  in_time_ = register_module("in_time", seeded_linear(2, hidden, rng));
  hidden_ = register_module("hidden", seeded_linear(hidden, hidden, rng));
  out_scale_ = register_module("out_scale", seeded_linear(hidden, dim, rng, true));
  out_transform_ = register_module("out_transform", seeded_linear(hidden, dim, rng, true));
  out_translate_ = register_module("out_translate", seeded_linear(hidden, dim, rng, true));
  lambda_scale_ = register_parameter("lambda_scale", torch::ones({dim}, torch::kFloat64));
  lambda_transform_ = register_parameter("lambda_transform", torch::ones({dim}, torch::kFloat64));
}

ScaleTranslation L2hmcNetworkImpl::forward(const torch::Tensor& a, const torch::Tensor& b,
                                           const torch::Tensor& tau) {
  torch::Tensor h = torch::relu(in_a_(a) + in_b_(b) + in_time_(tau));
  h = torch::relu(hidden_(h));
  return {lambda_scale_ * torch::tanh(out_scale_(h)),
          lambda_transform_ * torch::tanh(out_transform_(h)), out_translate_(h)};
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
  torch::Tensor h = torch::elu(inputs_.at(index)(input));
  for (auto& layer : hidden_) h = torch::elu(layer(h));
  return outputs_.at(index)(h);
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
