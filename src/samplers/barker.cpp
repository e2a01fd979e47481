#include "ebmc/samplers/barker.h"

#include "ebmc/samplers/registry.h"

namespace ebmc {

void BarkerOptions::validate() const {
  check_step_size(step_size(), "barker:step_size");
  adaptation().validate();
}

Barker::Barker(BarkerOptions options)
    : SingleProposalKernel(options.step_size()), options_(options) {
  options_.validate();
}

namespace {

/// log(1 + exp(a)), exactly and without overflow.
torch::Tensor log1p_exp(const torch::Tensor& a) {
  return torch::logaddexp(torch::zeros_like(a), a);
}

}  // namespace

torch::Tensor Barker::log_ratio(const State& from, const State& to) {
  const torch::Tensor d = to.x - from.x;
  return from.energy - to.energy + (log1p_exp(d * from.grad) - log1p_exp(-d * to.grad)).sum(1);
}

std::pair<State, torch::Tensor> Barker::propose(const State& state, const torch::Tensor& step_size,
                                                Rng& rng) const {
  const torch::Tensor z =
      step_size.unsqueeze(1) * torch::sqrt(tuning_.inverse_metric) * rng.normal(state.x.sizes());
  // Keep z's sign with probability σ(−z ∂U(x)), flip it otherwise.
  const torch::Tensor keep = rng.uniform(state.x.sizes()) < torch::sigmoid(-z * state.grad);
  State proposal = evaluated(state.x + torch::where(keep, z, -z));
  torch::Tensor ratio = log_ratio(state, proposal);
  return {std::move(proposal), std::move(ratio)};
}

EBMC_REGISTER(register_sampler<BarkerOptions>(
    "barker", "Barker proposal (Livingstone & Zanella 2022): gradient picks each sign",
    [](const BarkerOptions& o) {
      return adapted_sampler(std::make_shared<Barker>(o), o.adaptation());
    }));

}  // namespace ebmc
