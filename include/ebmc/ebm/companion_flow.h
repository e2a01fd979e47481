#pragma once
/// @file companion_flow.h
/// The normalizing flow an EBM trainer keeps beside the EBM (flowMC-EBM, NT-EBM, CoopFlow): a
/// RealNVP on the tilt's base ρ, fitted by maximum likelihood on the negatives (or the data).

#include <torch/torch.h>

#include <memory>

#include "ebmc/core/options.h"
#include "ebmc/core/rng.h"
#include "ebmc/flows/real_nvp.h"

namespace ebmc {

/// Options of a companion flow (the defaults are grenioux-2023 C.2's: 4 blocks of 3×16).
struct CompanionFlowOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("blocks", blocks(), "companion flow: RealNVP coupling blocks");
    v.field("hidden", hidden(), "companion flow: conditioner width");
    v.field("layers", layers(), "companion flow: conditioner hidden layers");
    v.field("flow_lr", learning_rate(), "companion flow: Adam learning rate");
  }
  TORCH_ARG(int64_t, blocks) = 4;
  TORCH_ARG(int64_t, hidden) = 16;
  TORCH_ARG(int64_t, layers) = 3;
  TORCH_ARG(double, learning_rate) = 1e-2;
};

/// A RealNVP with base N(0, σ²I) (σ = the EBM's tilt scale, so that flow and EBM both start as
/// ρ) and its Adam optimizer.
class CompanionFlow {
 public:
  CompanionFlow(int64_t dim, double base_scale, const CompanionFlowOptions& options, Rng& rng);
  const std::shared_ptr<Flow>& flow() const { return flow_; }
  /// One Adam step on −mean log λ(x) (grenioux-2023 Algorithm 1 step 5); returns the loss
  /// (no step when it or a gradient is not finite).
  /// Data-parallel: `x` holds `share`'s rows, the gradient is summed over the ranks first.
  double fit_step(const torch::Tensor& x, const BatchShare& share = BatchShare());
  /// `steps` fit steps on minibatches of `batch` rows of `data` drawn with `rng`.
  void pretrain(const torch::Tensor& data, int64_t steps, int64_t batch, Rng& rng);
  /// Flow and optimizer state, under `archive`'s keys `flow` and `flow_optimizer`.
  void save(torch::serialize::OutputArchive& archive);
  void load(torch::serialize::InputArchive& archive);

 private:
  std::shared_ptr<Flow> flow_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
};

}  // namespace ebmc
