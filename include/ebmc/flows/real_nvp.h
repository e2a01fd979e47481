#pragma once
/// @file real_nvp.h
/// RealNVP (Dinh et al. 2017): a stack of affine coupling blocks.

#include <torch/torch.h>

#include <vector>

#include "ebmc/core/options.h"
#include "ebmc/flows/flow.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

/// Options of `realnvp`. The defaults are grenioux-2023 appendix C.2's flow (4 blocks of MLPs
/// with 3 hidden layers of 16 units, about 1k parameters in 2-d).
struct RealNvpOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("blocks", blocks(), "affine coupling blocks");
    v.field("hidden", hidden(), "width of the conditioners' hidden layers");
    v.field("layers", layers(), "hidden layers per conditioner");
    v.text_choice("masks", masks(), {"alternating", "random"},
                  "alternating: even/odd coordinates; random: a random half and its complement");
    v.choice("activation", activation(), activation_names(), "hidden-layer nonlinearity");
    v.field("base_scale", base_scale(), "sigma of the base N(0, sigma^2 I)");
    v.field("init_scale", init_scale(),
            "output-layer weights start at this times the default range (the map starts at "
            "the identity)");
  }
  TORCH_ARG(int64_t, blocks) = 4;
  TORCH_ARG(int64_t, hidden) = 16;
  TORCH_ARG(int64_t, layers) = 3;
  TORCH_ARG(std::string, masks) = "alternating";
  TORCH_ARG(Activation, activation) = Activation::kSilu;
  TORCH_ARG(double, base_scale) = 1.0;
  TORCH_ARG(double, init_scale) = 1e-6;
};

/// RealNVP: block k keeps the coordinates of its mask m_k and moves the others by an affine map
/// conditioned on them, h ↦ h ⊙ exp(s) + t with (s, t) = MLP_k(m_k ⊙ h) restricted to 1 − m_k
/// and s = λ_k ⊙ tanh(·) (trainable λ_k, initialized to 1) so scales stay bounded. The
/// log-determinant of a block is Σ s. Conditioners' output layers start near zero, so the flow
/// starts at the identity and λ = ρ.
///
///     ebmc::RealNvp flow(2, ebmc::RealNvpOptions().blocks(6), rng);
///     ebmc::FlowMap z = flow.inverse_map(x);
class RealNvp : public Flow {
 public:
  RealNvp(int64_t dim, RealNvpOptions options, Rng& rng);
  std::string name() const override { return "realnvp"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  FlowMap forward_map(const torch::Tensor& z) override;
  FlowMap inverse_map(const torch::Tensor& x) override;
  /// The masks, [blocks, dim] (1 = kept by that block).
  const torch::Tensor& masks() const { return masks_; }

 private:
  /// s and t of block `k` at `h` (both zero on the kept coordinates).
  std::pair<torch::Tensor, torch::Tensor> scale_shift(size_t k, const torch::Tensor& h);

  RealNvpOptions options_;
  torch::Tensor masks_;
  std::vector<Mlp> conditioners_;
  std::vector<torch::Tensor> scale_limits_;
};

}  // namespace ebmc
