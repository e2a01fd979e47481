#pragma once
/// @file rough_well.h
/// The rough well of L2HMC: a Gaussian bowl with a fast, small cosine ripple.

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// U(x) = ½ xᵀx + η Σ_i cos(x_i / ω); gradient x − (η/ω) sin(x / ω). The paper's text has ω = η
/// (with η = 1e-2 a ripple that perturbs the gradient by ±1 and makes large leapfrog steps
/// useless while the overall scale is that of N(0, I)); the authors' released code
/// (utils/distributions.py, `RoughWell` with its default easy=False) has ω = η², a ripple whose
/// gradient is ±1/η.
class RoughWell : public Target {
 public:
  /// `period` is ω; 0 means ω = η.
  RoughWell(int64_t dim, double eta, double period = 0);
  int64_t dim() const override { return dim_; }
  std::string name() const override { return "rough_well"; }

  bool has_row_energy() const override { return true; }
  double row_energy(const double* x, double* grad) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  int64_t dim_;
  double eta_;
  double period_;  ///< ω
};

/// Options of `rough_well`.
struct RoughWellOptions {
  void validate() const { check_at_least(d(), 1, "rough_well", "d"); }
  void visit_fields(OptionVisitor& v) {
    v.field("d", d(), "dimension");
    v.field("eta", eta(), "roughness eta of 1/2 x'x + eta sum cos(x_i/eta)");
    v.text_choice("variant", variant(), {"paper", "released"},
                  "paper: cos(x_i/eta) as the paper's text; released: cos(x_i/eta^2) as the "
                  "authors' released code (a gradient ripple of +-1/eta)");
  }
  TORCH_ARG(int64_t, d) = 2;
  TORCH_ARG(double, eta) = 1e-2;
  TORCH_ARG(std::string, variant) = "paper";
};

}  // namespace ebmc
