#pragma once
/// @file preconditioned_target.h
/// A target seen in the coordinates y = L⁻¹x of a learned preconditioner.

#include "ebmc/core/target.h"
#include "ebmc/learned/learned_factor.h"

namespace ebmc {

/// U_y(y) = U(Ly) with ∇U_y(y) = Lᵀ∇U(Ly) (the constant log|det L| left out): a kernel that runs
/// in y runs with x = Ly in the base target's geometry reshaped by L. The tensor path is
/// differentiable in L (training); the fused path (`row_energy`, when the base has one) uses the
/// raw-memory copy `plain`. The base target and the factor must outlive it.
///
///     ebmc::PreconditionedTarget in_y(target, factor, factor.plain());
class PreconditionedTarget : public Target {
 public:
  PreconditionedTarget(const Target& base, const LearnedFactor& factor, PlainFactor plain);
  int64_t dim() const override { return base_.dim(); }
  std::string name() const override { return base_.name(); }
  bool has_row_energy() const override { return base_.has_row_energy(); }
  double row_energy(const double* y, double* grad) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& y) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& y) const override;

 private:
  const Target& base_;
  const LearnedFactor& factor_;
  PlainFactor plain_;
};

}  // namespace ebmc
