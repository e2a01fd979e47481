#include "ebmc/samplers/tunable_kernel.h"

#include <stdexcept>

#include "ebmc/core/errors.h"
#include "ebmc/core/metropolis.h"

namespace ebmc {

double GradientKernel::step_size() const {
  if (!tuning_.step_size.defined()) return std::nan("");
  return tuning_.step_size.mean().item<double>();
}

void GradientKernel::set_tuning(const Tuning& tuning) {
  if (!tuning_.step_size.defined()) throw std::logic_error(name() + ": set_tuning before init");
  const int64_t chains = tuning_.step_size.size(0), dim = tuning_.inverse_metric.size(1);
  if (tuning.step_size.sizes() != torch::IntArrayRef{chains} || tuning.inverse_metric.dim() != 2 ||
      tuning.inverse_metric.size(1) != dim ||
      (tuning.inverse_metric.size(0) != chains && tuning.inverse_metric.size(0) != 1)) {
    throw InputError("tuning does not fit " + std::to_string(chains) + " chains in dimension " +
                         std::to_string(dim),
                     "--tuning");
  }
  tuning_ = {tuning.step_size.to(torch::kFloat64), tuning.inverse_metric.to(torch::kFloat64)};
}

State GradientKernel::init_with_gradient(const Target& target, const torch::Tensor& x0,
                                         double step_size) {
  State state = bind_and_evaluate(target, x0, /*with_gradient=*/true);
  tuning_ = Tuning::initial(step_size, state.x.size(0), state.x.size(1));
  return state;
}

State SingleProposalKernel::init(const Target& target, const torch::Tensor& x0) {
  return init_with_gradient(target, x0, initial_step_size_);
}

State SingleProposalKernel::evaluated(torch::Tensor x) const {
  EnergyAndGrad eg = target().energy_and_grad(x);
  return State{std::move(x), std::move(eg.energy), std::move(eg.grad)};
}

Info SingleProposalKernel::step(State& state, Rng& rng) {
  auto [proposal, log_ratio] = propose(state, tuning_.step_size, rng);
  Info info = accept_or_reject(state, proposal, log_ratio, rng);
  info.energy_evals = state.chains();
  info.gradient_evals = state.chains();
  add_step_size_stat(info);
  return info;
}

torch::Tensor SingleProposalKernel::probe_log_accept(const State& state,
                                                     const torch::Tensor& step_size, Rng& rng) {
  return propose(state, step_size, rng).second;
}

}  // namespace ebmc
