#pragma once
// A test model shared by the EBM tests: E_θ(x) = θ·x, with the tilt N(0, σ²I) the exponential
// family N(−σ²θ, σ²I), whose log-likelihood and score are known in closed form.

#include "ebmc/ebm/energy_model.h"

namespace ebmc::testing {

class LinearEnergy : public EnergyModel {
 public:
  LinearEnergy(torch::Tensor theta, double tilt) : EnergyModel(theta.size(0), tilt) {
    theta_ = register_parameter("theta", theta.to(torch::kFloat64));
  }
  std::string kind() const override { return "linear"; }
  nlohmann::json options_json() const override { return {}; }
  torch::Tensor energy(const torch::Tensor& x) override { return (x * theta_).sum(1); }
  const torch::Tensor& theta() const { return theta_; }

 private:
  torch::Tensor theta_;
};

}  // namespace ebmc::testing
