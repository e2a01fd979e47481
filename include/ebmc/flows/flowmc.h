#pragma once
/// @file flowmc.h
/// flowMC (Gabrié et al. 2022; grenioux-2023 Algorithm 5): global moves proposed by a normalizing
/// flow (i-SIR or independent MH) alternating with local MALA steps, the flow fitted during
/// warmup by maximum likelihood on the states the chains visit.

#include <memory>

#include "ebmc/adaptation/dual_averaging.h"
#include "ebmc/flows/flow_kernel.h"
#include "ebmc/samplers/mala.h"

namespace ebmc {

/// Options of `flowmc`. The defaults are grenioux-2023 appendix C.2's sampler (2 i-SIR steps
/// with 32 particles between sequences of 4 MALA steps).
struct FlowMcOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.text_choice("global", global(), {"isir", "imh"}, "global move proposed by the flow");
    v.field("particles", particles(), "i-SIR: flow proposals per global step");
    v.field("global_steps", global_steps(), "global moves per transition");
    v.field("local_steps", local_steps(), "MALA steps per transition");
    v.field("step_size", step_size(), "initial MALA step size");
    v.field("adapt", adapt(), "tune the MALA step size during warmup (dual averaging)");
    v.field("target_accept", target_accept(), "MALA acceptance dual averaging aims for");
    v.field("adapt_flow", adapt_flow(), "fit the flow to the visited states during warmup");
    v.field("flow_lr", flow_lr(), "Adam learning rate of the flow fit");
    v.field("flow_window", flow_window(), "warmup transitions whose visited states the fit uses");
    flow().visit_fields(v);
  }
  TORCH_ARG(std::string, global) = "isir";
  TORCH_ARG(int64_t, particles) = 32;
  TORCH_ARG(int64_t, global_steps) = 2;
  TORCH_ARG(int64_t, local_steps) = 4;
  TORCH_ARG(double, step_size) = 0.01;
  TORCH_ARG(bool, adapt) = true;
  TORCH_ARG(double, target_accept) = 0.574;
  TORCH_ARG(bool, adapt_flow) = true;
  TORCH_ARG(double, flow_lr) = 1e-2;
  TORCH_ARG(int64_t, flow_window) = 50;
  TORCH_ARG(FlowChoice, flow) = {};
};

/// One flowMC transition: `global_steps` flow moves (∇U re-evaluated only for chains that
/// moved), then `local_steps` MALA steps. `accept_stat__` is the mean MALA acceptance;
/// `global_accept__` the mean probability that a global move leaves the state; `stepsize__`
/// the MALA step size. With a fixed flow every part leaves π invariant, so sampling is exact;
/// the flow changes only during warmup (FlowMcAdaptation).
///
///     auto kernel = std::make_shared<ebmc::FlowMc>(ebmc::FlowMcOptions());
///     ebmc::FlowMcAdaptation warmup(kernel);
///     ebmc::run_chains(*kernel, target, x0, rng, ebmc::RunOptions(), {}, &warmup);
class FlowMc : public FlowKernel {
 public:
  explicit FlowMc(FlowMcOptions options = {}, std::shared_ptr<Flow> flow = nullptr);
  std::string name() const override { return "flowmc"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;
  std::vector<std::string> stat_names() const override { return {"global_accept__", "stepsize__"}; }
  double step_size() const override { return local_->step_size(); }
  std::optional<Tuning> tuning() const override { return local_->tuning(); }
  void set_tuning(const Tuning& tuning) override { local_->set_tuning(tuning); }

  const FlowMcOptions& options() const { return options_; }
  /// The local MALA kernel (its tuning is the sampler's).
  Mala& local() { return *local_; }
  /// When set, `step` keeps the states after each of its moves, [moves·chains, dim], for
  /// `visited()`: what the flow is fitted to during warmup.
  void record_visited(bool on) { record_visited_ = on; }
  const torch::Tensor& visited() const { return visited_; }

 private:
  FlowMcOptions options_;
  std::shared_ptr<FlowKernel> global_;
  std::shared_ptr<Mala> local_;
  bool record_visited_ = false;
  torch::Tensor visited_;
};

/// flowMC's warmup: every transition runs the kernel, tunes the MALA step size by dual averaging
/// (from Stan's reasonable initial step size), and takes one Adam step of the flow on −mean
/// log λ over the states visited in the last `flow_window` transitions. Returns the MALA
/// tuning (the flow stays as fitted, in the kernel).
class FlowMcAdaptation : public Adaptation {
 public:
  explicit FlowMcAdaptation(std::shared_ptr<FlowMc> kernel);
  Tuning run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) override;
  std::optional<double> target_accept() const override;

 private:
  std::shared_ptr<FlowMc> kernel_;
};

}  // namespace ebmc
