#include "ebmc/targets/linear_ica.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

IcaSources ica_sources_from_name(const std::string& name, const std::string& where) {
  if (name == "laplace") return IcaSources::kLaplace;
  if (name == "logistic") return IcaSources::kLogistic;
  throw InputError("sources must be laplace|logistic, not '" + name + "'", where);
}

torch::Tensor ica_source_energy(const torch::Tensor& z, IcaSources sources) {
  if (sources == IcaSources::kLaplace) {
    return z.abs().sum(-1) + static_cast<double>(z.size(-1)) * std::log(2.0);
  }
  return (z + 2 * torch::nn::functional::softplus(-z)).sum(-1);
}

torch::Tensor ica_source_energy_grad(const torch::Tensor& z, IcaSources sources) {
  return sources == IcaSources::kLaplace ? torch::sign(z) : torch::tanh(0.5 * z);
}

LinearIca::LinearIca(torch::Tensor mixing, IcaSources sources)
    : mixing_(mixing.to(torch::kFloat64).contiguous()), sources_(sources) {
  if (mixing_.dim() != 2 || mixing_.size(0) != mixing_.size(1) || mixing_.size(0) < 1) {
    throw InputError("the mixing matrix must be square", "ica");
  }
  const auto [sign, log_abs_det] = torch::linalg_slogdet(mixing_);
  if (sign.item<double>() == 0 || !std::isfinite(log_abs_det.item<double>())) {
    throw InputError("the mixing matrix is singular", "ica");
  }
  unmixing_ = torch::linalg_inv(mixing_);
  log_abs_det_ = log_abs_det.item<double>();
}

LinearIca LinearIca::random(int64_t dim, uint64_t seed, IcaSources sources, bool random_unmixing) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  // For D ≥ 2 a Gaussian matrix has cond < D with probability about exp(−4) (Edelman 1988):
  // tens of draws; D = 1 is always accepted.
  for (int attempt = 0; attempt < 100000; ++attempt) {
    torch::Tensor W = torch::randn({dim, dim}, gen, f64);
    if (dim == 1 || torch::linalg_cond(W).item<double>() < static_cast<double>(dim)) {
      return LinearIca(random_unmixing ? torch::linalg_inv(W) : W, sources);
    }
  }
  throw RunFailed("no mixing matrix with condition number below D found", "ica");
}

torch::Tensor LinearIca::compute_energy(const torch::Tensor& x) const {
  return ica_source_energy(x.matmul(unmixing_.t()), sources_) + log_abs_det_;
}

EnergyAndGrad LinearIca::compute_energy_and_grad(const torch::Tensor& x) const {
  const torch::Tensor z = x.matmul(unmixing_.t());
  return {ica_source_energy(z, sources_) + log_abs_det_,
          ica_source_energy_grad(z, sources_).matmul(unmixing_)};
}

torch::Tensor LinearIca::sample_exact(int64_t n, Rng& rng) const {
  // By inversion of u uniform on (−½, ½): Laplace z = −sign(u)·log(1 − 2|u|), logistic
  // z = log((½ + u)/(½ − u)).
  const torch::Tensor u = rng.uniform({n, dim()}) - 0.5;
  const torch::Tensor z = sources_ == IcaSources::kLaplace
                              ? -torch::sign(u) * torch::log1p(-2 * u.abs())
                              : torch::log(0.5 + u) - torch::log(0.5 - u);
  return z.matmul(mixing_.t());
}

void LinearIcaOptions::validate() const {
  check_at_least(d(), 1, "ica", "d");
  check_at_least(seed(), 0, "ica", "seed");
  ica_sources_from_name(sources(), "ica:sources");
  if (random() != "mixing" && random() != "unmixing") {
    throw InputError("random must be mixing|unmixing", "ica:random");
  }
}

EBMC_REGISTER(register_target<LinearIcaOptions>(
    "ica", "linear ICA x = Wz, Laplace or logistic sources, random W with cond(W) < D (normalized)",
    [](const LinearIcaOptions& o) {
      return std::make_unique<LinearIca>(
          LinearIca::random(o.d(), static_cast<uint64_t>(o.seed()),
                            ica_sources_from_name(o.sources(), "ica:sources")));
    }));

}  // namespace ebmc
