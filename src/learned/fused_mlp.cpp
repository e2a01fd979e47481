#include "ebmc/learned/fused_mlp.h"

#include <torch/csrc/autograd/custom_function.h>

#include <cstdint>

namespace ebmc {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// The autograd function behind `fused_mlp`. Saved: the input, every hidden activation, the
/// weights, and tanh of the head columns.
class FusedMlpFunction : public torch::autograd::Function<FusedMlpFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                               torch::TensorList weights, torch::TensorList lambdas, bool elu) {
    torch::NoGradGuard no_grad;
    const auto layers = static_cast<int64_t>(weights.size() / 2);
    variable_list saved{input};
    torch::Tensor h = input;
    for (int64_t l = 0; l < layers; ++l) {
      const torch::Tensor& w = weights[static_cast<size_t>(2 * l)];
      const torch::Tensor& b = weights[static_cast<size_t>(2 * l + 1)];
      h = torch::addmm(b, h, w.t());
      if (l + 1 < layers) {
        h = elu ? torch::elu(h) : torch::relu(h);
        saved.push_back(h);
      }
    }
    const auto heads = static_cast<int64_t>(lambdas.size());
    const int64_t width = heads > 0 ? lambdas[0].size(0) : 0;
    torch::Tensor tanh_heads;
    if (heads > 0) {
      tanh_heads = torch::tanh(h.narrow(1, 0, heads * width));
      const torch::Tensor scale = torch::cat(lambdas.vec());
      h = torch::cat({tanh_heads * scale, h.narrow(1, heads * width, h.size(1) - heads * width)},
                     1);
      saved.push_back(tanh_heads);
    }
    for (const torch::Tensor& w : weights) saved.push_back(w);
    for (const torch::Tensor& l : lambdas) saved.push_back(l);
    ctx->save_for_backward(saved);
    ctx->saved_data["layers"] = layers;
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["elu"] = elu;
    return h;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const variable_list saved = ctx->get_saved_variables();
    const int64_t layers = ctx->saved_data["layers"].toInt();
    const int64_t heads = ctx->saved_data["heads"].toInt();
    const bool elu = ctx->saved_data["elu"].toBool();
    size_t at = 0;
    const torch::Tensor input = saved[at++];
    std::vector<torch::Tensor> hidden;  // activations after layers 1 … k−1
    for (int64_t l = 0; l + 1 < layers; ++l) hidden.push_back(saved[at++]);
    const torch::Tensor tanh_heads = heads > 0 ? saved[at++] : torch::Tensor();
    std::vector<torch::Tensor> weights(saved.begin() + static_cast<int64_t>(at),
                                       saved.begin() + static_cast<int64_t>(at + 2 * layers));
    at += static_cast<size_t>(2 * layers);
    std::vector<torch::Tensor> lambdas(saved.begin() + static_cast<int64_t>(at), saved.end());

    torch::Tensor g = grad_outputs[0];
    variable_list lambda_grads;
    if (heads > 0) {
      const int64_t width = lambdas[0].size(0);
      const torch::Tensor g_heads = g.narrow(1, 0, heads * width);
      const torch::Tensor scale = torch::cat(lambdas);
      lambda_grads = (g_heads * tanh_heads).sum(0).split(width);
      g = torch::cat({g_heads * scale * (1.0 - tanh_heads * tanh_heads),
                      g.narrow(1, heads * width, g.size(1) - heads * width)},
                     1);
    }
    variable_list weight_grads(static_cast<size_t>(2 * layers));
    for (int64_t l = layers - 1; l >= 0; --l) {
      const torch::Tensor& h_in = l == 0 ? input : hidden[static_cast<size_t>(l - 1)];
      weight_grads[static_cast<size_t>(2 * l)] = g.t().mm(h_in);
      weight_grads[static_cast<size_t>(2 * l + 1)] = g.sum(0);
      g = g.mm(weights[static_cast<size_t>(2 * l)]);
      if (l > 0) {
        // σ′ from the activation itself: ReLU′ = [h > 0], ELU′ = h + 1 where h ≤ 0.
        g = elu ? g * torch::where(h_in > 0, torch::ones_like(h_in), h_in + 1.0)
                : g * (h_in > 0).to(g.dtype());
      }
    }
    variable_list grads{g};
    grads.insert(grads.end(), weight_grads.begin(), weight_grads.end());
    grads.insert(grads.end(), lambda_grads.begin(), lambda_grads.end());
    grads.emplace_back();  // elu
    return grads;
  }
};

}  // namespace

torch::Tensor fused_mlp(const torch::Tensor& input, const std::vector<torch::Tensor>& weights,
                        bool elu, const std::vector<torch::Tensor>& lambdas) {
  return FusedMlpFunction::apply(input, torch::TensorList(weights), torch::TensorList(lambdas),
                                 elu);
}

}  // namespace ebmc
