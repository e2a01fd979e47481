#include "ebmc/targets/gaussian.h"

#include "ebmc/core/errors.h"

namespace ebmc {

DiagonalGaussian::DiagonalGaussian(torch::Tensor mean, torch::Tensor scale)
    : mean_(mean.to(torch::kFloat64)), scale_(scale.to(torch::kFloat64)) {
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

torch::Tensor DiagonalGaussian::compute_energy(const torch::Tensor& x) const {
  torch::Tensor z = (x - mean_.to(x.dtype())) / scale_.to(x.dtype());
  return 0.5 * z.pow(2).sum(1);
}

EnergyAndGrad DiagonalGaussian::compute_energy_and_grad(const torch::Tensor& x) const {
  torch::Tensor scale = scale_.to(x.dtype());
  torch::Tensor z = (x - mean_.to(x.dtype())) / scale;
  return {0.5 * z.pow(2).sum(1), z / scale};
}

}  // namespace ebmc
