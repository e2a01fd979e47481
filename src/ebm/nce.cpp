#include "ebmc/ebm/nce.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void NceOptions::validate() const {
  if (!(noise_ratio() > 0 && std::isfinite(noise_ratio()))) {
    throw InputError("noise_ratio must be finite and > 0", "nce:noise_ratio");
  }
}

Nce::Nce(NceOptions options) : options_(options) {
  options_.validate();
  log_normalizer_ = torch::zeros({1}, torch::kFloat64).requires_grad_(true);
}

torch::Tensor Nce::initialize(const EbmContext& context, int64_t persistent, Rng& rng) {
  const torch::Tensor& data = context.data;
  mean_ = data.mean(0);
  const torch::Tensor centred = data - mean_;
  const torch::Tensor cov = centred.t().matmul(centred) / std::max<double>(1, data.size(0) - 1) +
                            1e-6 * torch::eye(context.dim, torch::kFloat64);
  cholesky_ = torch::linalg_cholesky(cov);
  noise_log_det_ = cholesky_.diagonal().log().sum().item<double>();
  return SampleFreeMethod::initialize(context, persistent, rng);
}

torch::Tensor Nce::noise_log_prob(const torch::Tensor& u) const {
  const torch::Tensor z =
      torch::linalg_solve_triangular(cholesky_, (u - mean_).t(), /*upper=*/false).t();
  return -0.5 * z.pow(2).sum(1) - 0.5 * static_cast<double>(u.size(1)) * std::log(2 * M_PI) -
         noise_log_det_;
}

torch::Tensor Nce::sample_free_loss(EnergyModel& model, const torch::Tensor& positives, Rng& rng) {
  const double nu = options_.noise_ratio();
  // ν noise draws per data point of the whole batch (data-parallel: of all ranks).
  const int64_t batch = share().whole() ? positives.size(0) : share().total();
  const int64_t k =
      std::max<int64_t>(1, static_cast<int64_t>(std::llround(nu * static_cast<double>(batch))));
  // Data-parallel: every rank draws all k noise rows' numbers and keeps its share of them.
  const BatchShare noise_share = share().share_of(k);
  const int64_t mine = noise_share.whole() ? k : noise_share.rows().count;
  const torch::Tensor noise =
      mean_ + noise_share.normal(rng, {mine, positives.size(1)}).matmul(cholesky_.t());
  const auto logit = [&](const torch::Tensor& u) {
    return -model.tilted_energy(u) - log_normalizer_ - noise_log_prob(u) - std::log(nu);
  };
  return -(share().mean(torch::nn::functional::logsigmoid(logit(positives))) +
           nu * noise_share.mean(torch::nn::functional::logsigmoid(-logit(noise))));
}

void Nce::save(torch::serialize::OutputArchive& archive) {
  archive.write("log_normalizer", log_normalizer_.detach());
}

void Nce::load(torch::serialize::InputArchive& archive) {
  torch::Tensor c;
  archive.read("log_normalizer", c);
  torch::NoGradGuard no_grad;
  log_normalizer_.copy_(c);
}

EBMC_REGISTER((register_ebm_method<Nce, NceOptions>(
    "nce", "noise-contrastive estimation against a Gaussian fitted to the data (learns log Z)")));

}  // namespace ebmc
