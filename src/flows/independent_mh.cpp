#include "ebmc/flows/independent_mh.h"

#include "ebmc/core/metropolis.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

IndependentMh::IndependentMh(IndependentMhOptions options, std::shared_ptr<Flow> flow)
    : FlowKernel((options.validate(), options.flow()), std::move(flow)) {}

State IndependentMh::init(const Target& target, const torch::Tensor& x0) {
  return bind_flow_and_evaluate(target, x0, /*with_gradient=*/false);
}

Info IndependentMh::step(State& state, Rng& rng) {
  torch::NoGradGuard no_grad;
  state.grad = torch::Tensor();  // gradient-free: a caller that needs ∇U re-evaluates it
  const int64_t chains = state.chains();
  FlowSample draw = flow()->sample(chains, rng);
  State proposal;
  proposal.x = draw.x;
  proposal.energy = target().energy(draw.x);
  const torch::Tensor log_ratio =
      (state.energy + flow()->log_prob(state.x)) - (proposal.energy + draw.log_prob);
  Info info = accept_or_reject(state, proposal, log_ratio, rng);
  info.energy_evals = chains;
  return info;
}

EBMC_REGISTER(register_sampler<IndependentMhOptions>(
    "imh", "independent Metropolis-Hastings with a normalizing-flow proposal",
    [](const IndependentMhOptions& o) {
      return Sampler{std::make_shared<IndependentMh>(o), {}};
    }));

}  // namespace ebmc
