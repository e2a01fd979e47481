#include "ebmc/targets/logistic_regression.h"

#include <ATen/Parallel.h>

#include <algorithm>
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

namespace {

/// True when the fused float64 loops below apply: no autograd through θ, CPU float64.
bool fused_applies(const torch::Tensor& theta) {
  return theta.scalar_type() == torch::kFloat64 && theta.device().is_cpu() &&
         !(torch::GradMode::is_enabled() && theta.requires_grad());
}

}  // namespace

EnergyAndGrad LogisticRegression::fused_energy_and_grad(const torch::Tensor& theta,
                                                        bool with_grad) const {
  // One pass per chain over the N linear predictors: log p(y | η) = Σ y η − softplus(η) and
  // the residual y − σ(η), sharing t = exp(−|η|) (softplus(η) = max(η, 0) + log1p(t)). Plain
  // scalar loops, one chain per thread: the same bits whatever the batch or thread count.
  const torch::Tensor x = theta.contiguous();
  const torch::Tensor eta = row_matmul(x, design_t_);  // [B, N]
  const int64_t chains = x.size(0), n = eta.size(1), k = x.size(1);
  torch::Tensor energy = torch::empty({chains}, torch::kFloat64);
  torch::Tensor residual = with_grad ? torch::empty({chains, n}, torch::kFloat64) : torch::Tensor();
  const double* e = eta.data_ptr<double>();
  const double* y = y_.data_ptr<double>();
  const double* th = x.data_ptr<double>();
  double* out = energy.data_ptr<double>();
  double* r = with_grad ? residual.data_ptr<double>() : nullptr;
  const double precision = 1.0 / (prior_scale_ * prior_scale_);
  at::parallel_for(0, chains, std::max<int64_t>(1, 8192 / std::max<int64_t>(n, 1)),
                   [&](int64_t begin, int64_t end) {
                     for (int64_t b = begin; b < end; ++b) {
                       double log_lik = 0.0;
                       for (int64_t i = 0; i < n; ++i) {
                         const double v = e[b * n + i];
                         const double t = std::exp(-std::fabs(v));
                         log_lik += y[i] * v - (std::max(v, 0.0) + std::log1p(t));
                         if (r != nullptr) {
                           r[b * n + i] = y[i] - (v >= 0.0 ? 1.0 / (1.0 + t) : t / (1.0 + t));
                         }
                       }
                       double squares = 0.0;
                       for (int64_t j = 0; j < k; ++j) squares += th[b * k + j] * th[b * k + j];
                       out[b] = -log_lik + 0.5 * squares * precision;
                     }
                   });
  if (!with_grad) return {energy, torch::Tensor()};
  return {energy, -row_matmul(residual, design_) + x * precision};
}

torch::Tensor LogisticRegression::compute_energy(const torch::Tensor& theta) const {
  if (fused_applies(theta)) return fused_energy_and_grad(theta, false).energy;
  torch::Tensor eta = row_matmul(theta, design_t_.to(theta.dtype()));  // [B, N]
  torch::Tensor log_lik = (y_.to(theta.dtype()) * eta - torch::softplus(eta)).sum(1);
  return -log_lik + 0.5 * theta.pow(2).sum(1) / (prior_scale_ * prior_scale_);
}

EnergyAndGrad LogisticRegression::compute_energy_and_grad(const torch::Tensor& theta) const {
  if (fused_applies(theta)) return fused_energy_and_grad(theta, true);
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
