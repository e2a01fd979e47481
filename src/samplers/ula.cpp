#include "ebmc/samplers/ula.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/samplers/langevin.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void UlaOptions::validate() const { check_step_size(step_size(), "ula:step_size"); }

Ula::Ula(UlaOptions options) : options_(options) { options_.validate(); }

State Ula::init(const Target& target, const torch::Tensor& x0) {
  return init_with_gradient(target, x0, options_.step_size());
}

Info Ula::step(State& state, Rng& rng) {
  const torch::Tensor& eps = tuning_.step_size;
  State proposal;
  proposal.x =
      langevin_sample(langevin_mean(state.x, state.grad, eps, metric()), eps, metric(), rng);
  EnergyAndGrad eg = target().energy_and_grad(proposal.x);
  proposal.energy = eg.energy;
  proposal.grad = eg.grad;
  torch::Tensor finite = torch::isfinite(proposal.energy) & torch::isfinite(proposal.grad).all(1) &
                         torch::isfinite(proposal.x).all(1);
  select_rows(state, proposal, finite);
  Info info;
  info.accepted = finite;
  info.accept_prob = finite.to(torch::kFloat64);
  info.nonfinite = state.chains() - finite.sum().item<int64_t>();
  info.energy_evals = state.chains();
  info.gradient_evals = state.chains();
  add_step_size_stat(info);
  return info;
}

EBMC_REGISTER(register_sampler<UlaOptions>(
    "ula", "unadjusted Langevin (biased by O(eps^2), never rejects)", [](const UlaOptions& o) {
      return Sampler{std::make_shared<Ula>(o), {}};
    }));

}  // namespace ebmc
