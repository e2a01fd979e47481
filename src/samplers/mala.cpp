#include "ebmc/samplers/mala.h"

#include "ebmc/samplers/registry.h"
#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/samplers/langevin.h"

namespace ebmc {

void MalaOptions::validate() const {
  check_step_size(step_size(), "mala:step_size");
  adaptation().validate();
}

Mala::Mala(MalaOptions options) : options_(options) { options_.validate(); }

State Mala::init(const Target& target, const torch::Tensor& x0) {
  return init_with_gradient(target, x0, options_.step_size());
}

std::pair<State, torch::Tensor> Mala::propose(const State& state, const torch::Tensor& step_size,
                                              Rng& rng) const {
  const DiagonalMetric metric = this->metric();
  torch::Tensor forward_mean = langevin_mean(state.x, state.grad, step_size, metric);
  State proposal;
  proposal.x = langevin_sample(forward_mean, step_size, metric, rng);
  EnergyAndGrad eg = target().energy_and_grad(proposal.x);
  proposal.energy = eg.energy;
  proposal.grad = eg.grad;
  torch::Tensor backward_mean = langevin_mean(proposal.x, proposal.grad, step_size, metric);
  torch::Tensor log_ratio = state.energy - proposal.energy +
                            langevin_log_density(state.x, backward_mean, step_size, metric) -
                            langevin_log_density(proposal.x, forward_mean, step_size, metric);
  return {proposal, log_ratio};
}

Info Mala::step(State& state, Rng& rng) {
  auto [proposal, log_ratio] = propose(state, tuning_.step_size, rng);
  Info info = accept_or_reject(state, proposal, log_ratio, rng);
  info.energy_evals = state.chains();
  info.gradient_evals = state.chains();
  add_step_size_stat(info);
  return info;
}

torch::Tensor Mala::probe_log_accept(const State& state, const torch::Tensor& step_size, Rng& rng) {
  return propose(state, step_size, rng).second;
}

EBMC_REGISTER(register_sampler<MalaOptions>(
    "mala", "Metropolis-adjusted Langevin", [](const MalaOptions& o) {
      return adapted_sampler(std::make_shared<Mala>(o), o.adaptation());
    }));

}  // namespace ebmc
