#pragma once
/// @file ula.h
/// The unadjusted Langevin algorithm.

#include "ebmc/core/options.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of ULA.
struct UlaOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) { v.field("step_size", step_size(), "step size epsilon"); }
  /// Step size ε.
  TORCH_ARG(double, step_size) = 0.05;
};

/// ULA: x' = x − (ε²/2) M⁻¹∇U(x) + ε M^{-1/2}ξ, always accepted. It does not leave the target
/// invariant: its stationary distribution is biased by O(ε²) — the price of never rejecting, as
/// in short-run EBM training. A proposal with a non-finite energy is still rejected and counted.
/// One energy and gradient evaluation per chain per step.
class Ula : public GradientKernel {
 public:
  explicit Ula(UlaOptions options = {});
  std::string name() const override { return "ula"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;

 private:
  UlaOptions options_;
};

}  // namespace ebmc
