// The fused MLP's forward and written-out backward against the same network composed of torch
// operations and differentiated by autograd.

#include "ebmc/learned/fused_mlp.h"

#include <gtest/gtest.h>

#include <vector>

namespace ebmc {
namespace {

torch::Tensor composed_mlp(const torch::Tensor& input, const std::vector<torch::Tensor>& weights,
                           bool elu, const std::vector<torch::Tensor>& lambdas) {
  torch::Tensor h = input;
  const size_t layers = weights.size() / 2;
  for (size_t l = 0; l < layers; ++l) {
    h = torch::nn::functional::linear(h, weights[2 * l], weights[2 * l + 1]);
    if (l + 1 < layers) h = elu ? torch::elu(h) : torch::relu(h);
  }
  if (lambdas.empty()) return h;
  std::vector<torch::Tensor> blocks;
  int64_t at = 0;
  for (const torch::Tensor& lambda : lambdas) {
    blocks.push_back(lambda * torch::tanh(h.narrow(1, at, lambda.size(0))));
    at += lambda.size(0);
  }
  blocks.push_back(h.narrow(1, at, h.size(1) - at));
  return torch::cat(blocks, 1);
}

TEST(FusedMlpTest, ValuesAndGradientsMatchAutogradOfTheComposedNetwork) {
  torch::manual_seed(3);
  const auto f64 = torch::kFloat64;
  for (const bool elu : {false, true}) {
    for (const int64_t heads : {0, 2}) {
      SCOPED_TRACE(std::string(elu ? "elu" : "relu") + " heads " + std::to_string(heads));
      const int64_t in = 6, width = 9, out = 12, rows = 5;
      std::vector<torch::Tensor> weights{
          torch::randn({width, in}, f64),    torch::randn({width}, f64),
          torch::randn({width, width}, f64), torch::randn({width}, f64),
          torch::randn({out, width}, f64),   torch::randn({out}, f64)};
      std::vector<torch::Tensor> lambdas;
      for (int64_t j = 0; j < heads; ++j) lambdas.push_back(torch::randn({4}, f64));
      const torch::Tensor input = torch::randn({rows, in}, f64);
      const torch::Tensor weight_out = torch::randn({rows, out}, f64);
      auto gradients = [&](bool fused) {
        std::vector<torch::Tensor> leaves{input.clone().requires_grad_(true)};
        std::vector<torch::Tensor> w, l;
        for (const auto& t : weights) w.push_back(leaves.emplace_back(t.clone().requires_grad_()));
        for (const auto& t : lambdas) l.push_back(leaves.emplace_back(t.clone().requires_grad_()));
        const torch::Tensor y =
            fused ? fused_mlp(leaves[0], w, elu, l) : composed_mlp(leaves[0], w, elu, l);
        (y * weight_out).sum().backward();
        std::vector<torch::Tensor> result{y.detach()};
        for (const auto& leaf : leaves) result.push_back(leaf.grad());
        return result;
      };
      const auto fused = gradients(true), composed = gradients(false);
      ASSERT_EQ(fused.size(), composed.size());
      for (size_t i = 0; i < fused.size(); ++i) {
        EXPECT_TRUE(torch::allclose(fused[i], composed[i], 1e-11, 1e-12)) << "tensor " << i;
      }
    }
  }
}

}  // namespace
}  // namespace ebmc
