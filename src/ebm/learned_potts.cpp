#include "ebmc/ebm/learned_potts.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/dense_potts.h"

namespace ebmc {

LearnedPotts::LearnedPotts(int64_t sites, int64_t values) {
  if (sites < 2) throw InputError("a Potts model needs at least 2 sites", "--model");
  if (values < 2) throw InputError("a Potts model needs at least 2 values", "--model");
  const int64_t n = sites * values;
  free_ = register_parameter("couplings", torch::zeros({n, n}, torch::kFloat64));
  bias_ = register_parameter("bias", torch::zeros({sites, values}, torch::kFloat64));
  const torch::Tensor same_site = torch::kron(torch::eye(sites, torch::kFloat64),
                                              torch::ones({values, values}, torch::kFloat64));
  mask_ = register_buffer("mask", 1 - same_site);
}

torch::Tensor LearnedPotts::flat_couplings() const { return 0.5 * (free_ + free_.t()) * mask_; }

torch::Tensor LearnedPotts::couplings() const {
  return flat_couplings().view({sites(), values(), sites(), values()});
}

torch::Tensor LearnedPotts::log_prob(const torch::Tensor& x) const {
  return dense_potts_log_prob(x, flat_couplings(), bias_);
}

std::unique_ptr<DiscreteTarget> LearnedPotts::snapshot() const {
  torch::NoGradGuard no_grad;
  return std::make_unique<DensePottsModel>(couplings().detach().clone(), bias_.detach().clone(),
                                           "learned potts");
}

torch::Tensor LearnedPotts::penalty() const {
  const torch::Tensor blocks = couplings().permute({0, 2, 1, 3});
  const torch::Tensor norms = (blocks.pow(2).sum({-2, -1}) + 1e-12).sqrt();
  return torch::triu(norms, 1).sum();
}

torch::Tensor LearnedPotts::interaction_strengths() const {
  return potts_interaction_strengths(couplings());
}

torch::Tensor LearnedPotts::pseudo_log_likelihood(const torch::Tensor& x) const {
  const torch::Tensor g = dense_potts_fields(x, flat_couplings(), bias_);
  return ((x * g).sum(-1) - torch::logsumexp(g, -1)).sum(1);
}

EBMC_REGISTER(register_discrete_energy_model<LearnedPottsOptions>(
    "potts",
    "Potts model with a learned K x K coupling block per pair and fields (categorical data)",
    [](const LearnedPottsOptions&, int64_t sites, int64_t values,
       Rng&) -> std::shared_ptr<DiscreteEnergyModel> {
      return std::make_shared<LearnedPotts>(sites, values);
    }));

}  // namespace ebmc
