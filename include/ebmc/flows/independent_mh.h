#pragma once
/// @file independent_mh.h
/// Independent Metropolis–Hastings with a normalizing flow as the proposal.

#include "ebmc/flows/flow_kernel.h"

namespace ebmc {

/// Options of `imh`.
struct IndependentMhOptions {
  void validate() const { flow().validate(); }
  void visit_fields(OptionVisitor& v) { flow().visit_fields(v); }
  TORCH_ARG(FlowChoice, flow) = {};
};

/// Independent MH: x' ~ λ (the flow), accepted with min(1, π(x')λ(x) / (π(x)λ(x'))) by the
/// shared MH step. One energy evaluation per chain per step, no gradients; exact for any flow
/// whose support covers the target's. A gradient carried by the state is dropped.
///
///     ebmc::IndependentMh imh(ebmc::IndependentMhOptions(), trained_flow);
class IndependentMh : public FlowKernel {
 public:
  explicit IndependentMh(IndependentMhOptions options = {}, std::shared_ptr<Flow> flow = nullptr);
  std::string name() const override { return "imh"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;
};

}  // namespace ebmc
