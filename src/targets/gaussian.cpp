#include "ebmc/targets/gaussian.h"

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

DiagonalGaussian::DiagonalGaussian(torch::Tensor mean, torch::Tensor scale)
    : mean_(mean.to(torch::kFloat64).contiguous()), scale_(scale.to(torch::kFloat64).contiguous()) {
  if (mean_.dim() != 1 || scale_.dim() != 1 || mean_.size(0) != scale_.size(0) ||
      mean_.size(0) < 1) {
    throw InputError("mean and scale must be non-empty vectors of equal length", "gaussian");
  }
  if (!torch::isfinite(mean_).all().item<bool>()) {
    throw InputError("mean must be finite", "gaussian");
  }
  if (!(torch::isfinite(scale_).all().item<bool>() && (scale_ > 0).all().item<bool>())) {
    throw InputError("every scale must be finite and > 0", "gaussian");
  }
}

DiagonalGaussian DiagonalGaussian::standard(int64_t dim) {
  if (dim < 1) throw InputError("dimension must be >= 1", "gaussian");
  return DiagonalGaussian(torch::zeros({dim}, torch::kFloat64),
                          torch::ones({dim}, torch::kFloat64));
}

double DiagonalGaussian::row_energy(const double* x, double* grad) const {
  const double* mu = mean_.data_ptr<double>();
  const double* s = scale_.data_ptr<double>();
  const int64_t d = mean_.size(0);
  double sum = 0;
  for (int64_t i = 0; i < d; ++i) {
    const double z = (x[i] - mu[i]) / s[i];
    sum += z * z;
    if (grad != nullptr) grad[i] = z / s[i];
  }
  return 0.5 * sum;
}

torch::Tensor DiagonalGaussian::compute_energy(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, false).energy;
  torch::Tensor z = (x - mean_.to(x.dtype())) / scale_.to(x.dtype());
  return 0.5 * z.pow(2).sum(1);
}

torch::Tensor DiagonalGaussian::sample_exact(int64_t n, Rng& rng) const {
  return mean_ + scale_ * rng.normal({n, dim()});
}

EnergyAndGrad DiagonalGaussian::compute_energy_and_grad(const torch::Tensor& x) const {
  if (takes_fused_path(x)) return fused_rows(*this, x, true);
  torch::Tensor scale = scale_.to(x.dtype());
  torch::Tensor z = (x - mean_.to(x.dtype())) / scale;
  return {0.5 * z.pow(2).sum(1), z / scale};
}

torch::Tensor icg_scales(int64_t d) {
  return torch::sqrt(torch::logspace(-2.0, 2.0, d, 10.0, torch::kFloat64));
}

EBMC_REGISTER(register_target<GaussianOptions>(
    "gaussian", "isotropic Gaussian N(mean, scale^2 I)", [](const GaussianOptions& o) {
      return std::make_unique<DiagonalGaussian>(torch::full({o.d()}, o.mean(), torch::kFloat64),
                                                torch::full({o.d()}, o.scale(), torch::kFloat64));
    }));

EBMC_REGISTER(register_target<IcgOptions>(
    "icg", "ill-conditioned Gaussian, variances log-spaced 1e-2..1e2", [](const IcgOptions& o) {
      return std::make_unique<DiagonalGaussian>(torch::zeros({o.d()}, torch::kFloat64),
                                                icg_scales(o.d()));
    }));

}  // namespace ebmc
