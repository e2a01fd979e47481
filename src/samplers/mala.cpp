#include "ebmc/samplers/mala.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/samplers/langevin.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void MalaOptions::validate() const {
  check_step_size(step_size(), "mala:step_size");
  adaptation().validate();
}

Mala::Mala(MalaOptions options) : SingleProposalKernel(options.step_size()), options_(options) {
  options_.validate();
}

std::pair<State, torch::Tensor> Mala::propose(const State& state, const torch::Tensor& step_size,
                                              Rng& rng) const {
  const DiagonalMetric metric = this->metric();
  torch::Tensor forward_mean = langevin_mean(state.x, state.grad, step_size, metric);
  State proposal = evaluated(langevin_sample(forward_mean, step_size, metric, rng));
  torch::Tensor backward_mean = langevin_mean(proposal.x, proposal.grad, step_size, metric);
  torch::Tensor log_ratio = state.energy - proposal.energy +
                            langevin_log_density(state.x, backward_mean, step_size, metric) -
                            langevin_log_density(proposal.x, forward_mean, step_size, metric);
  return {proposal, log_ratio};
}

EBMC_REGISTER(register_sampler<MalaOptions>("mala", "Metropolis-adjusted Langevin",
                                            [](const MalaOptions& o) {
                                              return adapted_sampler(std::make_shared<Mala>(o),
                                                                     o.adaptation());
                                            }));

}  // namespace ebmc
