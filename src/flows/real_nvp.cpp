#include "ebmc/flows/real_nvp.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void RealNvpOptions::validate() const {
  check_at_least(blocks(), 1, "realnvp", "blocks");
  check_at_least(hidden(), 1, "realnvp", "hidden");
  check_at_least(layers(), 0, "realnvp", "layers");
  if (!(base_scale() > 0 && std::isfinite(base_scale()))) {
    throw InputError("base_scale must be finite and > 0", "realnvp:base_scale");
  }
  if (!(init_scale() >= 0 && std::isfinite(init_scale()))) {
    throw InputError("init_scale must be finite and >= 0", "realnvp:init_scale");
  }
}

namespace {

/// Block k's mask: alternating parity, or a random half for even k and its complement after it.
torch::Tensor coupling_masks(int64_t blocks, int64_t dim, const std::string& kind, Rng& rng) {
  torch::Tensor masks = torch::zeros({blocks, dim}, torch::kFloat64);
  const torch::Tensor parity = torch::arange(dim, torch::kInt64).remainder(2).to(torch::kFloat64);
  for (int64_t k = 0; k < blocks; ++k) {
    if (kind == "random") {
      if (k % 2 == 0) {
        masks[k] = random_half_masks(1, dim, rng)[0];
      } else {
        masks[k] = 1.0 - masks[k - 1];
      }
    } else {
      masks[k] = k % 2 == 0 ? 1.0 - parity : parity;
    }
  }
  return masks;
}

}  // namespace

RealNvp::RealNvp(int64_t dim, RealNvpOptions options, Rng& rng)
    : Flow(dim, options.base_scale()), options_(std::move(options)) {
  options_.validate();
  masks_ = register_buffer("masks", coupling_masks(options_.blocks(), dim, options_.masks(), rng));
  for (int64_t k = 0; k < options_.blocks(); ++k) {
    conditioners_.push_back(register_module(
        "conditioner" + std::to_string(k), Mlp(dim, options_.hidden(), options_.layers(), 2 * dim,
                                               options_.activation(), rng, options_.init_scale())));
    scale_limits_.push_back(
        register_parameter("scale_limit" + std::to_string(k), torch::ones({dim}, torch::kFloat64)));
  }
}

std::pair<torch::Tensor, torch::Tensor> RealNvp::scale_shift(size_t k, const torch::Tensor& h) {
  const torch::Tensor keep = masks_[static_cast<int64_t>(k)];
  const torch::Tensor move = 1.0 - keep;
  std::vector<torch::Tensor> out = conditioners_[k]->forward(h * keep).chunk(2, 1);
  return {scale_limits_[k] * torch::tanh(out[0]) * move, out[1] * move};
}

FlowMap RealNvp::forward_map(const torch::Tensor& z) {
  torch::Tensor h = z.to(torch::kFloat64);
  torch::Tensor log_det = torch::zeros({h.size(0)}, torch::kFloat64);
  for (size_t k = 0; k < conditioners_.size(); ++k) {
    auto [s, t] = scale_shift(k, h);
    h = h * torch::exp(s) + t;
    log_det = log_det + s.sum(1);
  }
  return {h, log_det};
}

FlowMap RealNvp::inverse_map(const torch::Tensor& x) {
  torch::Tensor h = x.to(torch::kFloat64);
  torch::Tensor log_det = torch::zeros({h.size(0)}, torch::kFloat64);
  for (size_t k = conditioners_.size(); k-- > 0;) {
    auto [s, t] = scale_shift(k, h);
    h = (h - t) * torch::exp(-s);
    log_det = log_det - s.sum(1);
  }
  return {h, log_det};
}

EBMC_REGISTER((register_flow<RealNvp, RealNvpOptions>(
    "realnvp", "RealNVP: affine coupling blocks with MLP conditioners (Dinh et al. 2017)")));

}  // namespace ebmc
