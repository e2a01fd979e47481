#include "ebmc/samplers/rwm.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void RwmOptions::validate() const { check_step_size(step_size(), "rwm:step_size"); }

RandomWalkMetropolis::RandomWalkMetropolis(RwmOptions options) : options_(options) {
  options_.validate();
}

State RandomWalkMetropolis::init(const Target& target, const torch::Tensor& x0) {
  return bind_and_evaluate(target, x0, /*with_gradient=*/false);
}

Info RandomWalkMetropolis::step(State& state, Rng& rng) {
  State proposal;
  proposal.x = state.x + options_.step_size() * rng.normal(state.x.sizes());
  proposal.energy = target().energy(proposal.x);
  Info info = accept_or_reject(state, proposal, state.energy - proposal.energy, rng);
  info.energy_evals = state.chains();
  return info;
}

EBMC_REGISTER(register_sampler<RwmOptions>(
    "rwm", "random-walk Metropolis (gradient-free)", [](const RwmOptions& o) {
      return Sampler{std::make_shared<RandomWalkMetropolis>(o), {}};
    }));

}  // namespace ebmc
