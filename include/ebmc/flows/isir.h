#pragma once
/// @file isir.h
/// Iterated sampling-importance-resampling with a normalizing flow (grenioux-2023 Algorithm 6).

#include "ebmc/flows/flow_kernel.h"

namespace ebmc {

/// Options of `isir`.
struct IsirOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("particles", particles(), "fresh flow proposals per step (the pool adds the state)");
    flow().visit_fields(v);
  }
  TORCH_ARG(int64_t, particles) = 32;
  TORCH_ARG(FlowChoice, flow) = {};
};

/// i-SIR (Rubin 1987; Andrieu et al. 2018): a pool of the current state and N fresh flow draws,
/// weighted by w = π/λ, from which the next state is drawn with probability ∝ w. A conditional
/// importance-sampling kernel, so it leaves π invariant exactly for any flow. `accept_stat__` is
/// the probability of leaving the current state, 1 − w₀/Σw. N energy evaluations per chain per
/// step, no gradients; proposals with non-finite weight get weight 0 (and are counted).
///
///     ebmc::Isir isir(ebmc::IsirOptions().particles(64), trained_flow);
class Isir : public FlowKernel {
 public:
  explicit Isir(IsirOptions options = {}, std::shared_ptr<Flow> flow = nullptr);
  std::string name() const override { return "isir"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;

 private:
  IsirOptions options_;
};

}  // namespace ebmc
