#pragma once
/// @file funnel.h
/// Neal's funnel.

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// Neal's funnel in d dimensions: x₀ ~ N(0, σ²), x_i | x₀ ~ N(0, e^{x₀}) for i = 1 … d−1.
/// U(x) = x₀²/(2σ²) + ½ e^{−x₀} Σ_{i≥1} x_i² + (d−1) x₀ / 2.
/// Presets: funnel1 = (σ = 1, d = 100) and funnel3 = (σ = 3, d = 20).
class Funnel : public Target {
 public:
  Funnel(int64_t dim, double sigma);
  int64_t dim() const override { return dim_; }
  std::string name() const override { return "funnel"; }
  double sigma() const { return sigma_; }

  bool has_row_energy() const override { return true; }
  double row_energy(const double* x, double* grad) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  int64_t dim_;
  double sigma_;
};

/// Options of `funnel`.
struct FunnelOptions {
  void validate() const {}
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension (x0 and d-1 coordinates below it)");
    v.field("sigma", sigma(), "standard deviation of x0");
  }
  TORCH_ARG(int64_t, d) = 10;
  TORCH_ARG(double, sigma) = 3.0;
};

}  // namespace ebmc
