#include "ebmc/targets/logistic_regression.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
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

namespace {

/// One observation's log-likelihood y η − softplus(η) and, through `residual`, y − σ(η), sharing
/// t = exp(−|η|) (softplus(η) = max(η, 0) + log1p(t)).
inline double observation_log_lik(double eta, double y, double* residual) {
  const double t = std::exp(-std::fabs(eta));
  if (residual != nullptr) *residual = y - (eta >= 0.0 ? 1.0 / (1.0 + t) : t / (1.0 + t));
  return y * eta - (std::max(eta, 0.0) + std::log1p(t));
}

/// log(1 + e^η) without torch::softplus's linear cut-off above η = 20 (off by up to 2e-9 there).
torch::Tensor exact_softplus(const torch::Tensor& eta) {
  return torch::relu(eta) + torch::log1p(torch::exp(-eta.abs()));
}

}  // namespace

double LogisticRegression::row_energy(const double* theta, double* grad) const {
  // η = [1, X] θ, then one pass over the observations: log p(y | η) and the residuals y − σ(η),
  // then ∇U = −[1, X]ᵀ r + θ / s². The products are `row_matmul`'s rows (vectorized, fixed order).
  const int64_t n = design_.size(0), k = design_.size(1);
  thread_local std::vector<double> workspace;
  workspace.resize(static_cast<size_t>(2 * n + k));
  double* eta = workspace.data();
  double* residual = eta + n;
  double* back = residual + n;
  row_times_matrix(theta, design_t_.data_ptr<double>(), eta, k, n);
  const double* y = y_.data_ptr<double>();
  double log_lik = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    log_lik += observation_log_lik(eta[i], y[i], grad == nullptr ? nullptr : residual + i);
  }
  const double precision = 1.0 / (prior_scale_ * prior_scale_);
  double squares = 0.0;
  for (int64_t j = 0; j < k; ++j) squares += theta[j] * theta[j];
  if (grad != nullptr) {
    row_times_matrix(residual, design_.data_ptr<double>(), back, n, k);
    for (int64_t j = 0; j < k; ++j) grad[j] = -back[j] + theta[j] * precision;
  }
  return -log_lik + 0.5 * squares * precision;
}

torch::Tensor LogisticRegression::compute_energy(const torch::Tensor& theta) const {
  if (takes_fused_path(theta)) return fused_rows(*this, theta, false).energy;
  torch::Tensor eta = row_matmul(theta, design_t_.to(theta.dtype()));  // [B, N]
  torch::Tensor log_lik = (y_.to(theta.dtype()) * eta - exact_softplus(eta)).sum(1);
  return -log_lik + 0.5 * theta.pow(2).sum(1) / (prior_scale_ * prior_scale_);
}

EnergyAndGrad LogisticRegression::compute_energy_and_grad(const torch::Tensor& theta) const {
  if (takes_fused_path(theta)) return fused_rows(*this, theta, true);
  torch::Tensor design = design_.to(theta.dtype());
  torch::Tensor y = y_.to(theta.dtype());
  torch::Tensor eta = row_matmul(theta, design_t_.to(theta.dtype()));  // [B, N]
  torch::Tensor energy = -(y * eta - exact_softplus(eta)).sum(1) +
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
