#pragma once
/// @file coopflow.h
/// CoopFlow (Xie et al. 2022; grenioux-2023's baseline): a flow pretrained on the data starts
/// short-run noiseless Langevin chains; the flow learns from the revised samples.

#include <memory>

#include "ebmc/ebm/companion_flow.h"
#include "ebmc/ebm/ebm_method.h"

namespace ebmc {

/// Options of `coopflow` (Table 4: Langevin with step 5e-4, 256 steps; noise off, as its
/// authors advise; the flow pretrained on the data and frozen for the first 5% of training).
struct CoopFlowOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(), "Langevin step size eta");
    v.field("steps", steps(), "Langevin steps per iteration (the last state is the negative)");
    v.field("noise", noise(), "add Langevin noise (off in CoopFlow's best version)");
    v.field("pretrain", pretrain(), "maximum-likelihood steps of the flow on the data first");
    v.field("frozen", frozen(), "fraction of training during which the flow is not updated");
    flow().visit_fields(v);
  }
  TORCH_ARG(double, step_size) = 5e-4;
  TORCH_ARG(int64_t, steps) = 256;
  TORCH_ARG(bool, noise) = false;
  TORCH_ARG(int64_t, pretrain) = 1024;
  TORCH_ARG(double, frozen) = 0.05;
  TORCH_ARG(CompanionFlowOptions, flow) = {};
};

/// CoopFlow: each iteration draws its chains from the flow, runs `steps` (noiseless by
/// default) Langevin steps on the EBM, takes the last states as negatives, and (after the
/// frozen start) fits the flow to them.
class CoopFlow : public EbmMethod {
 public:
  explicit CoopFlow(CoopFlowOptions options);
  std::string name() const override { return "coopflow"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  bool data_parallel() const override { return true; }
  /// Its chains start from the flow every iteration.
  bool persistent_chains() const override { return false; }
  NegativeBatch negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                          int64_t iterations, Rng& rng) override;
  std::shared_ptr<Flow> flow() const override { return companion_ ? companion_->flow() : nullptr; }
  void save(torch::serialize::OutputArchive& archive) override { companion_->save(archive); }
  void load(torch::serialize::InputArchive& archive) override { companion_->load(archive); }

 private:
  CoopFlowOptions options_;
  std::unique_ptr<CompanionFlow> companion_;
};

}  // namespace ebmc
