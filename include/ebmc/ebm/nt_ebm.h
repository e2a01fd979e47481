#pragma once
/// @file nt_ebm.h
/// NT-EBM (Nijkamp et al. 2022; grenioux-2023's baseline): MALA in the companion flow's latent
/// space, chains started from the flow every iteration.

#include <memory>

#include "ebmc/ebm/companion_flow.h"
#include "ebmc/ebm/ebm_method.h"
#include "ebmc/flows/neutra.h"

namespace ebmc {

/// Options of `ntebm` (Table 4: MALA with target acceptance 75%, 128 steps).
struct NtEbmOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("steps", steps(), "latent MALA steps per iteration (the last state is the negative)");
    v.field("target_accept", target_accept(), "acceptance the step size is adapted to");
    v.field("step_size", step_size(), "initial latent MALA step size epsilon");
    v.field("flow_fit", flow_fit(),
            "what the flow is fitted to each iteration: data (the backbone of Nijkamp et al. "
            "2022) or negatives");
    flow().visit_fields(v);
  }
  TORCH_ARG(int64_t, steps) = 128;
  TORCH_ARG(double, target_accept) = 0.75;
  TORCH_ARG(double, step_size) = 0.1;
  TORCH_ARG(std::string, flow_fit) = "data";
  TORCH_ARG(CompanionFlowOptions, flow) = {};
};

/// NT-EBM: each iteration draws its chains from the flow, runs `steps` MALA steps on the EBM
/// pulled back to the flow's latent space (NeuTra), and takes the last states as negatives; the
/// step size follows the acceptance (log ε += acceptance − target, per iteration); the flow takes
/// one maximum-likelihood step per iteration on a data minibatch (`flow_fit=data`, the flow as
/// the backbone of Nijkamp et al. 2022) or on the negatives (`flow_fit=negatives`).
class NtEbm : public EbmMethod {
 public:
  explicit NtEbm(NtEbmOptions options);
  std::string name() const override { return "ntebm"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  /// Its chains start from the flow every iteration.
  bool persistent_chains() const override { return false; }
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  bool data_parallel() const override { return true; }
  NegativeBatch negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                          int64_t iterations, Rng& rng) override;
  std::shared_ptr<Flow> flow() const override { return companion_ ? companion_->flow() : nullptr; }
  void save(torch::serialize::OutputArchive& archive) override;
  void load(torch::serialize::InputArchive& archive) override;

 private:
  NtEbmOptions options_;
  std::unique_ptr<CompanionFlow> companion_;
  std::shared_ptr<Neutra> kernel_;
  torch::Tensor data_;  ///< the training data, for flow_fit=data
  double log_step_;
};

}  // namespace ebmc
