#pragma once
/// @file logistic_regression.h
/// Bayesian logistic regression posterior.

#include <torch/torch.h>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"
#include "ebmc/io/dataset_csv.h"

namespace ebmc {

/// Posterior of logistic regression with a N(0, prior_scale² I) prior on the intercept and the
/// coefficients: U(θ) = −Σ_n [y_n η_n − log(1 + e^{η_n})] + ‖θ‖² / (2 prior_scale²),
/// η = [1, X] θ. Predictors are standardized on construction. Analytic gradient
/// −[1, X]ᵀ(y − σ(η)) + θ / prior_scale², one fused pass per chain for float64 CPU states.
///
///     auto blr = ebmc::LogisticRegression(ebmc::read_binary_dataset("data/german.csv"), 1.0);
class LogisticRegression : public Target {
 public:
  LogisticRegression(const BinaryDataset& data, double prior_scale, std::string name = "blr");
  int64_t dim() const override { return design_.size(1); }
  std::string name() const override { return name_; }
  /// `intercept` followed by the predictor names.
  std::vector<std::string> parameter_names() const override { return names_; }
  /// The design matrix [N, 1 + P] (intercept column first, standardized predictors).
  const torch::Tensor& design() const { return design_; }
  /// The responses [N] (0/1).
  const torch::Tensor& labels() const { return y_; }
  double prior_scale() const { return prior_scale_; }

  bool has_row_energy() const override { return true; }
  double row_energy(const double* x, double* grad) const override;

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  torch::Tensor design_, y_;
  torch::Tensor design_t_;  ///< design_ transposed, contiguous [K, N]
  double prior_scale_;
  std::vector<std::string> names_;
  std::string name_;
};

/// Options of `blr`: a data set shipped in data/ or a CSV file.
struct BlrOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("data", data(), "german|pima|sonar|ionosphere: a data set in data/ (default german)");
    v.field("file", file(), "a CSV file instead (last column the 0/1 label)");
    v.field("prior_scale", prior_scale(), "standard deviation of the N(0, s^2 I) prior");
  }
  TORCH_ARG(std::string, data) = "";
  TORCH_ARG(std::string, file) = "";
  TORCH_ARG(double, prior_scale) = 1.0;
};

}  // namespace ebmc
