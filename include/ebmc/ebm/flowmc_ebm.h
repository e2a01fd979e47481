#pragma once
/// @file flowmc_ebm.h
/// flowMC-EBM (grenioux-2023 Algorithm 1): persistent chains moved by flowMC (i-SIR global moves
/// from a companion flow, MALA local steps) on the tilted EBM; the flow is fitted to the negatives.

#include <memory>

#include "ebmc/ebm/companion_flow.h"
#include "ebmc/ebm/ebm_method.h"
#include "ebmc/flows/flowmc.h"

namespace ebmc {

/// Options of `flowmc` (the defaults are C.2's: 4 MALA steps, then 2 i-SIR steps with 32
/// particles and 4 MALA steps; step size 0.01).
struct FlowMcEbmOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.text_choice("global", global(), {"isir", "imh"}, "global move proposed by the flow");
    v.field("particles", particles(), "i-SIR: flow proposals per global step");
    v.field("global_steps", global_steps(), "global moves per cycle");
    v.field("first_local", first_local(), "MALA steps before the first cycle");
    v.field("local_steps", local_steps(), "MALA steps in each cycle (after its global moves)");
    v.field("cycles", cycles(), "cycles of global then local steps per iteration");
    v.field("step_size", step_size(), "MALA step size eta (proposal N(x - eta grad U, 2 eta I))");
    v.text_choice("negatives", negatives(), {"last", "all"},
                  "last: the chains' final states; all: the states after every cycle");
    flow().visit_fields(v);
  }
  TORCH_ARG(std::string, global) = "isir";
  TORCH_ARG(int64_t, particles) = 32;
  TORCH_ARG(int64_t, global_steps) = 2;
  TORCH_ARG(int64_t, first_local) = 4;
  TORCH_ARG(int64_t, local_steps) = 4;
  TORCH_ARG(int64_t, cycles) = 1;
  TORCH_ARG(double, step_size) = 0.01;
  TORCH_ARG(std::string, negatives) = "last";
  TORCH_ARG(CompanionFlowOptions, flow) = {};
};

/// flowMC-EBM: every iteration runs `first_local` MALA steps, then `cycles` flowMC transitions
/// (global then local steps) from the persistent chains on p_θ^ρ, with the companion flow as
/// the global proposal; the flow then takes one likelihood step on the negatives. Chains start
/// from the flow (= ρ = the fresh EBM).
class FlowMcEbm : public EbmMethod {
 public:
  explicit FlowMcEbm(FlowMcEbmOptions options);
  std::string name() const override { return "flowmc"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  bool data_parallel() const override { return true; }
  NegativeBatch negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                          int64_t iterations, Rng& rng) override;
  std::shared_ptr<Flow> flow() const override { return companion_ ? companion_->flow() : nullptr; }
  void save(torch::serialize::OutputArchive& archive) override { companion_->save(archive); }
  void load(torch::serialize::InputArchive& archive) override { companion_->load(archive); }

 private:
  FlowMcEbmOptions options_;
  std::unique_ptr<CompanionFlow> companion_;
  std::shared_ptr<FlowMc> kernel_;
};

}  // namespace ebmc
