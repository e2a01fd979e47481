#include "ebmc/targets/dense_gaussian.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/row_matmul.h"
#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

DenseGaussian::DenseGaussian(torch::Tensor mean, torch::Tensor covariance, std::string name)
    : mean_(mean.to(torch::kFloat64).contiguous()),
      covariance_(covariance.to(torch::kFloat64)),
      name_(std::move(name)) {
  const int64_t d = mean_.dim() == 1 ? mean_.size(0) : -1;
  if (d < 1 || covariance_.dim() != 2 || covariance_.size(0) != d || covariance_.size(1) != d) {
    throw InputError("mean must be [D] and covariance [D, D]", name_);
  }
  if (!torch::allclose(covariance_, covariance_.t(), 1e-10, 1e-12)) {
    throw InputError("covariance must be symmetric", name_);
  }
  auto [factor, info] = torch::linalg_cholesky_ex(covariance_);
  if (info.item<int64_t>() != 0) throw InputError("covariance must be positive definite", name_);
  precision_ = torch::cholesky_inverse(factor);
  precision_ = (0.5 * (precision_ + precision_.t())).contiguous();
}

namespace {

/// Dimensions up to which the batched path runs the fused rows (d² multiply-adds per row) rather
/// than a matrix product.
constexpr int64_t kFusedDenseMaxDim = 32;

}  // namespace

double DenseGaussian::row_energy(const double* x, double* grad) const {
  // U = ½ cᵀPc and ∇U = Pc, c = x − μ; `grad` doubles as the workspace for Pc.
  const double* mu = mean_.data_ptr<double>();
  const double* p = precision_.data_ptr<double>();
  const int64_t d = mean_.size(0);
  double energy = 0;
  for (int64_t j = 0; j < d; ++j) {
    double g = 0;
    for (int64_t i = 0; i < d; ++i) g += (x[i] - mu[i]) * p[i * d + j];
    energy += g * (x[j] - mu[j]);
    if (grad != nullptr) grad[j] = g;
  }
  return 0.5 * energy;
}

torch::Tensor DenseGaussian::compute_energy(const torch::Tensor& x) const {
  if (dim() <= kFusedDenseMaxDim && takes_fused_path(x)) {
    return fused_rows(*this, x, false).energy;
  }
  torch::Tensor centred = x - mean_.to(x.dtype());
  return 0.5 * (row_matmul(centred, precision_.to(x.dtype())) * centred).sum(1);
}

EnergyAndGrad DenseGaussian::compute_energy_and_grad(const torch::Tensor& x) const {
  if (dim() <= kFusedDenseMaxDim && takes_fused_path(x)) {
    return fused_rows(*this, x, true);
  }
  torch::Tensor centred = x - mean_.to(x.dtype());
  torch::Tensor grad = row_matmul(centred, precision_.to(x.dtype()));
  return {0.5 * (grad * centred).sum(1), grad};
}

torch::Tensor rotation_2d(double angle) {
  return torch::tensor({{std::cos(angle), -std::sin(angle)}, {std::sin(angle), std::cos(angle)}},
                       torch::kFloat64);
}

torch::Tensor random_rotation(int64_t dim, uint64_t seed) {
  Rng rng(seed);
  auto [q, r] = torch::linalg::qr(rng.normal({dim, dim}));
  // Fix the signs so the distribution is Haar.
  return q * torch::sign(torch::diagonal(r)).unsqueeze(0);
}

EBMC_REGISTER(register_target<RotatedIcgOptions>(
    "rotated_icg", "ICG under a random rotation (dense covariance)",
    [](const RotatedIcgOptions& o) {
      const torch::Tensor r = random_rotation(o.d(), static_cast<uint64_t>(o.seed()));
      const torch::Tensor cov = row_matmul(r * icg_scales(o.d()).pow(2), r.t());
      return std::make_unique<DenseGaussian>(torch::zeros({o.d()}, torch::kFloat64),
                                             0.5 * (cov + cov.t()), "rotated_icg");
    }));

EBMC_REGISTER(register_target<ScgOptions>(
    "scg",
    "strongly correlated 2-d Gaussian: variances 1e2 and 1e-1 (1e-2: variant=paper) rotated by "
    "pi/4",
    [](const ScgOptions& o) {
      const double small = o.variant() == "paper" ? 1e-2 : 1e-1;
      const torch::Tensor r = rotation_2d(M_PI / 4);
      const torch::Tensor cov =
          row_matmul(r * torch::tensor({1e2, small}, torch::kFloat64), r.t());
      return std::make_unique<DenseGaussian>(torch::zeros({2}, torch::kFloat64),
                                             0.5 * (cov + cov.t()), "scg");
    }));

}  // namespace ebmc
