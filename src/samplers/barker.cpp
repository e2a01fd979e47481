#include "ebmc/samplers/barker.h"

#include "ebmc/core/metropolis.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void BarkerOptions::validate() const {
  check_step_size(step_size(), "barker:step_size");
  adaptation().validate();
}

Barker::Barker(BarkerOptions options) : options_(options) { options_.validate(); }

State Barker::init(const Target& target, const torch::Tensor& x0) {
  return init_with_gradient(target, x0, options_.step_size());
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
  State proposal;
  proposal.x = state.x + torch::where(keep, z, -z);
  EnergyAndGrad eg = target().energy_and_grad(proposal.x);
  proposal.energy = eg.energy;
  proposal.grad = eg.grad;
  torch::Tensor ratio = log_ratio(state, proposal);
  return {std::move(proposal), std::move(ratio)};
}

Info Barker::step(State& state, Rng& rng) {
  auto [proposal, ratio] = propose(state, tuning_.step_size, rng);
  Info info = accept_or_reject(state, proposal, ratio, rng);
  info.energy_evals = state.chains();
  info.gradient_evals = state.chains();
  add_step_size_stat(info);
  return info;
}

torch::Tensor Barker::probe_log_accept(const State& state, const torch::Tensor& step_size,
                                       Rng& rng) {
  return propose(state, step_size, rng).second;
}

EBMC_REGISTER(register_sampler<BarkerOptions>(
    "barker", "Barker proposal (Livingstone & Zanella 2022): gradient picks each sign",
    [](const BarkerOptions& o) {
      return adapted_sampler(std::make_shared<Barker>(o), o.adaptation());
    }));

}  // namespace ebmc
