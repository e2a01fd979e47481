#pragma once
/// @file banana.h
/// Haario's twisted Gaussian ("banana").

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// The banana of Haario, Saksman & Tamminen (1999): y ~ N(0, diag(100, 1, …, 1)) bent by
/// x₂ = y₂ + b(y₁² − 100). U(x) = x₁²/200 + ½(x₂ − b(x₁² − 100))² + ½ Σ_{i≥3} x_i².
/// Exact moments: E x = 0, Var x₁ = 100, Var x₂ = 1 + 2b²·100².
class Banana : public Target {
 public:
  Banana(int64_t dim, double curvature);
  int64_t dim() const override { return dim_; }
  std::string name() const override { return "banana"; }
  double curvature() const { return b_; }

  bool has_row_energy() const override { return true; }
  double row_energy(const double* x, double* grad) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  int64_t dim_;
  double b_;
};

/// Options of `banana`.
struct BananaOptions {
  void validate() const {}
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension");
    v.field("b", b(), "curvature");
  }
  TORCH_ARG(int64_t, d) = 2;
  TORCH_ARG(double, b) = 0.1;
};

}  // namespace ebmc
