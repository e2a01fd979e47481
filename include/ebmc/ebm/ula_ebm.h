#pragma once
/// @file ula_ebm.h
/// ULA-EBM (grenioux-2023 Algorithm 3; Du & Mordatch 2019, Nijkamp et al. 2020): persistent
/// chains advanced by the unadjusted Langevin algorithm.

#include "ebmc/ebm/ebm_method.h"

namespace ebmc {

/// Options of `ula` (the defaults are C.2's: 10 steps of size 0.01).
struct UlaEbmOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(),
            "Langevin step size eta: x' = x - eta grad U + sqrt(2 eta) xi");
    v.field("steps", steps(), "Langevin steps per iteration (the last state is the negative)");
    v.text_choice(
        "init", init(), {"uniform", "gaussian"},
        "persistent chains start uniform on the data's box (+10%) or from the tilt's base");
  }
  TORCH_ARG(double, step_size) = 0.01;
  TORCH_ARG(int64_t, steps) = 10;
  TORCH_ARG(std::string, init) = "uniform";
};

/// `steps` steps of x ← x − η∇U(x) + √(2η)ξ (grenioux-2023 Algorithm 2; ξ omitted when
/// `noise` is false: CoopFlow's noiseless Langevin); returns the last state.
/// `after_step`, when given, sees the state after every step. `x` holds `share`'s rows of the
/// chains, the noise is drawn through it.
torch::Tensor unadjusted_langevin(const Target& target, torch::Tensor x, double eta, int64_t steps,
                                  bool noise, Rng& rng,
                                  const std::function<void(const torch::Tensor&)>& after_step = {},
                                  const BatchShare& share = BatchShare());

/// Uniform draws on the bounding box of `data` widened by 10% on each side, [rows, dim].
torch::Tensor uniform_on_data_box(const torch::Tensor& data, int64_t rows, Rng& rng);

/// ULA-EBM: persistent chains, L unadjusted Langevin steps per iteration, the last state is the
/// negative. Biased (no Metropolis correction) and unable to move mass between modes, which is
/// what grenioux-2023 Fig. 1 shows.
class UlaEbm : public EbmMethod {
 public:
  explicit UlaEbm(UlaEbmOptions options);
  std::string name() const override { return "ula"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  NegativeBatch negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                          int64_t iterations, Rng& rng) override;
  bool data_parallel() const override { return true; }

 private:
  UlaEbmOptions options_;
};

}  // namespace ebmc
