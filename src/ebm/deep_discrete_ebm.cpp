#include "ebmc/ebm/deep_discrete_ebm.h"

#include <string>

#include "ebmc/core/errors.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

void DeepDiscreteEbmOptions::validate() const {
  check_at_least(width(), 1, "deep", "width");
  check_at_least(depth(), 1, "deep", "depth");
}

DeepDiscreteEbm::DeepDiscreteEbm(int64_t sites, const DeepDiscreteEbmOptions& options, Rng& rng) {
  int64_t in = sites;
  for (int64_t l = 0; l < options.depth(); ++l) {
    layers_.push_back(
        register_module("layer" + std::to_string(l), seeded_linear(in, options.width(), rng)));
    in = options.width();
  }
  layers_.push_back(register_module("output", seeded_linear(in, 1, rng, /*zero=*/true)));
  base_ = register_buffer("base", torch::zeros({sites}, torch::kFloat64));
}

torch::Tensor DeepDiscreteEbm::log_prob(const torch::Tensor& x) const {
  torch::Tensor h = x;
  for (size_t l = 0; l + 1 < layers_.size(); ++l) {
    h = torch::silu(torch::linear(h, layers_[l]->weight, layers_[l]->bias));
  }
  return torch::linear(h, layers_.back()->weight, layers_.back()->bias).squeeze(1) +
         x.matmul(base_);
}

std::unique_ptr<DiscreteTarget> DeepDiscreteEbm::snapshot() const {
  return std::make_unique<LiveModelTarget>(
      std::static_pointer_cast<const DeepDiscreteEbm>(shared_from_this()));
}

void DeepDiscreteEbm::initialize_from_data(const torch::Tensor& x) {
  base_.copy_(data_log_odds(x));
}

EBMC_REGISTER(register_discrete_energy_model<DeepDiscreteEbmOptions>(
    "deep", "Swish MLP energy plus a Bernoulli base at the data's means (binary data)",
    [](const DeepDiscreteEbmOptions& o, int64_t sites, int64_t values,
       Rng& rng) -> std::shared_ptr<DiscreteEnergyModel> {
      require_binary_data(values, "deep");
      return std::make_shared<DeepDiscreteEbm>(sites, o, rng);
    }));

}  // namespace ebmc
