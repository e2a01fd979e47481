#pragma once
/// @file tempered_target.h
/// A target at temperature T: U(x)/T, used to anneal training on multi-modal targets.

#include "ebmc/core/target.h"

namespace ebmc {

/// U_T(x) = U(x)/T for a base target that must outlive it (levy-2018 appendix E.2 trains the MoG
/// sampler while annealing T to 1).
///
///     ebmc::TemperedTarget hot(mog, 8.0);
///     hot.set_temperature(1.0);  // now identical to `mog`
class TemperedTarget : public Target {
 public:
  TemperedTarget(const Target& base, double temperature);
  int64_t dim() const override { return base_.dim(); }
  std::string name() const override { return base_.name(); }
  std::vector<std::string> parameter_names() const override { return base_.parameter_names(); }
  /// Sets T (> 0).
  void set_temperature(double temperature);
  double temperature() const { return temperature_; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  const Target& base_;
  double temperature_;
};

}  // namespace ebmc
