#include "ebmc/targets/linear_ica.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

LinearIca::LinearIca(torch::Tensor mixing) : mixing_(mixing.to(torch::kFloat64).contiguous()) {
  if (mixing_.dim() != 2 || mixing_.size(0) != mixing_.size(1) || mixing_.size(0) < 1) {
    throw InputError("the mixing matrix must be square", "ica");
  }
  const auto [sign, log_abs_det] = torch::linalg_slogdet(mixing_);
  if (sign.item<double>() == 0 || !std::isfinite(log_abs_det.item<double>())) {
    throw InputError("the mixing matrix is singular", "ica");
  }
  unmixing_ = torch::linalg_inv(mixing_);
  log_normalizer_ = static_cast<double>(dim()) * std::log(2.0) + log_abs_det.item<double>();
}

LinearIca LinearIca::random(int64_t dim, uint64_t seed) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  // For D ≥ 2 a Gaussian matrix has cond < D with probability about exp(−4) (Edelman 1988):
  // tens of draws; D = 1 is always accepted.
  for (int attempt = 0; attempt < 100000; ++attempt) {
    torch::Tensor W = torch::randn({dim, dim}, gen, f64);
    if (dim == 1 || torch::linalg_cond(W).item<double>() < static_cast<double>(dim)) {
      return LinearIca(W);
    }
  }
  throw RunFailed("no mixing matrix with condition number below D found", "ica");
}

torch::Tensor LinearIca::compute_energy(const torch::Tensor& x) const {
  return x.matmul(unmixing_.t()).abs().sum(1) + log_normalizer_;
}

EnergyAndGrad LinearIca::compute_energy_and_grad(const torch::Tensor& x) const {
  const torch::Tensor z = x.matmul(unmixing_.t());
  return {z.abs().sum(1) + log_normalizer_, torch::sign(z).matmul(unmixing_)};
}

torch::Tensor LinearIca::sample_exact(int64_t n, Rng& rng) const {
  // Laplace(0, 1) by inversion: z = −sign(u)·log(1 − 2|u|), u uniform on (−½, ½).
  const torch::Tensor u = rng.uniform({n, dim()}) - 0.5;
  const torch::Tensor z = -torch::sign(u) * torch::log1p(-2 * u.abs());
  return z.matmul(mixing_.t());
}

void LinearIcaOptions::validate() const {
  check_at_least(d(), 1, "ica", "d");
  check_at_least(seed(), 0, "ica", "seed");
}

EBMC_REGISTER(register_target<LinearIcaOptions>(
    "ica", "linear ICA x = Wz, Laplace sources, random W with cond(W) < D (normalized)",
    [](const LinearIcaOptions& o) {
      return std::make_unique<LinearIca>(LinearIca::random(o.d(), static_cast<uint64_t>(o.seed())));
    }));

}  // namespace ebmc
