#include "ebmc/discrete/fhmm.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/discrete/registry.h"

namespace ebmc {

Fhmm::Fhmm(FhmmParameters parameters, torch::Tensor observations)
    : parameters_(std::move(parameters)), observations_(observations.to(torch::kFloat64)) {
  parameters_.weights = parameters_.weights.to(torch::kFloat64);
  if (parameters_.weights.dim() != 1 || parameters_.weights.size(0) < 1) {
    throw InputError("FHMM weights must be a non-empty vector", "fhmm");
  }
  if (observations_.dim() != 1 || observations_.size(0) < 1) {
    throw InputError("FHMM observations must be a non-empty vector", "fhmm");
  }
  const auto open_unit = [](double p) { return p > 0 && p < 1; };
  if (!open_unit(parameters_.initial_on) || !open_unit(parameters_.stay)) {
    throw InputError("alpha and beta must be in (0, 1)", "fhmm");
  }
  if (!(parameters_.noise_variance > 0)) throw InputError("sigma^2 must be > 0", "fhmm");
}

Fhmm Fhmm::random(int64_t length, int64_t factors, Rng& rng) {
  if (length < 1 || factors < 1) throw InputError("length and factors must be >= 1", "fhmm");
  FhmmParameters p;
  p.weights = rng.normal({factors});
  p.offset = rng.normal({1}).item<double>();
  // Latent path from the prior: start on with α, then keep each factor with probability β.
  torch::Tensor x = torch::empty({length, factors}, torch::kFloat64);
  x[0] = (rng.uniform({factors}) < p.initial_on).to(torch::kFloat64);
  for (int64_t t = 1; t < length; ++t) {
    const torch::Tensor keep = rng.uniform({factors}) < p.stay;
    x[t] = torch::where(keep, x[t - 1], 1.0 - x[t - 1]);
  }
  const torch::Tensor y =
      torch::mv(x, p.weights) + p.offset + std::sqrt(p.noise_variance) * rng.normal({length});
  Fhmm model(p, y);
  model.true_states_ = x.reshape({1, -1});
  return model;
}

torch::Tensor Fhmm::reconstruction_error(const torch::Tensor& x) const {
  const torch::Tensor path = x.reshape({x.size(0), length(), factors()});
  return (observations_ - (path * parameters_.weights).sum(2) - parameters_.offset).pow(2).mean(1);
}

torch::Tensor Fhmm::compute_log_prob(const torch::Tensor& x) const {
  const FhmmParameters& p = parameters_;
  const torch::Tensor path = x.reshape({x.size(0), length(), factors()});
  const torch::Tensor first = path.select(1, 0);
  torch::Tensor f =
      (first * std::log(p.initial_on) + (1 - first) * std::log1p(-p.initial_on)).sum(1);
  if (length() > 1) {
    const torch::Tensor prev = path.narrow(1, 0, length() - 1);
    const torch::Tensor next = path.narrow(1, 1, length() - 1);
    const torch::Tensor same = prev * next + (1 - prev) * (1 - next);
    f = f + (same * std::log(p.stay) + (1 - same) * std::log1p(-p.stay)).sum({1, 2});
  }
  const torch::Tensor residual = observations_ - (path * p.weights).sum(2) - p.offset;
  return f - residual.pow(2).sum(1) / (2 * p.noise_variance);
}

EBMC_REGISTER(register_discrete_target<FhmmOptions>(
    "fhmm", "factorial-HMM posterior p(x | y), data drawn from the model",
    [](const FhmmOptions& o) {
      Rng rng(static_cast<uint64_t>(o.seed()));
      return std::make_unique<Fhmm>(Fhmm::random(o.length(), o.factors(), rng));
    }));

}  // namespace ebmc
