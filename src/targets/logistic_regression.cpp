#include "ebmc/targets/logistic_regression.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/row_matmul.h"
#include "ebmc/io/dataset_csv.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

LogisticRegression::LogisticRegression(const BinaryDataset& data, double prior_scale,
                                       std::string name)
    : prior_scale_(prior_scale), name_(std::move(name)) {
  if (!(prior_scale > 0 && std::isfinite(prior_scale))) {
    throw InputError("prior_scale must be > 0", name_ + ":prior_scale");
  }
  torch::Tensor standardized = standardize_columns(data.x.to(torch::kFloat64), name_);
  design_ = torch::cat({torch::ones({standardized.size(0), 1}, torch::kFloat64), standardized}, 1);
  design_t_ = design_.t().contiguous();
  y_ = data.y.to(torch::kFloat64);
  names_.push_back("intercept");
  names_.insert(names_.end(), data.predictor_names.begin(), data.predictor_names.end());
}

torch::Tensor LogisticRegression::compute_energy(const torch::Tensor& theta) const {
  torch::Tensor eta = row_matmul(theta, design_t_.to(theta.dtype()));  // [B, N]
  torch::Tensor log_lik = (y_.to(theta.dtype()) * eta - torch::softplus(eta)).sum(1);
  return -log_lik + 0.5 * theta.pow(2).sum(1) / (prior_scale_ * prior_scale_);
}

EnergyAndGrad LogisticRegression::compute_energy_and_grad(const torch::Tensor& theta) const {
  torch::Tensor design = design_.to(theta.dtype());
  torch::Tensor y = y_.to(theta.dtype());
  torch::Tensor eta = row_matmul(theta, design_t_.to(theta.dtype()));  // [B, N]
  torch::Tensor energy = -(y * eta - torch::softplus(eta)).sum(1) +
                         0.5 * theta.pow(2).sum(1) / (prior_scale_ * prior_scale_);
  torch::Tensor grad =
      -row_matmul(y - torch::sigmoid(eta), design) + theta / (prior_scale_ * prior_scale_);
  return {energy, grad};
}

void BlrOptions::validate() const {
  if (!data().empty() && !file().empty())
    throw InputError("give data= or file=, not both", "--target blr");
}

EBMC_REGISTER(register_target<BlrOptions>(
    "blr", "Bayesian logistic regression, N(0, I) prior, standardized predictors",
    [](const BlrOptions& o) {
      const std::string data = o.file().empty() && o.data().empty() ? "german" : o.data();
      const std::string path = data.empty() ? o.file() : default_data_dir() + "/" + data + ".csv";
      return std::make_unique<LogisticRegression>(read_binary_dataset(path), o.prior_scale(),
                                                  "blr:" + (data.empty() ? path : data));
    }));

}  // namespace ebmc
