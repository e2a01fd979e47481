#include "ebmc/samplers/hmc.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void HmcOptions::validate() const {
  check_step_size(step_size(), "hmc:step_size");
  if (num_steps() < 1) throw InputError("num_steps must be >= 1", "hmc:num_steps");
  if (!(jitter() >= 0 && jitter() < 1)) throw InputError("jitter must be in [0, 1)", "hmc:jitter");
  if (!(max_delta_h() > 0)) throw InputError("max_delta_h must be > 0", "hmc:max_delta_h");
  adaptation().validate();
}

Hmc::Hmc(HmcOptions options) : options_(options) { options_.validate(); }

State Hmc::init(const Target& target, const torch::Tensor& x0) {
  return init_with_gradient(target, x0, options_.step_size());
}

int64_t Hmc::draw_num_steps(Rng& rng) const {
  const double l = static_cast<double>(options_.num_steps());
  if (options_.jitter() == 0.0) return options_.num_steps();
  const int64_t low = std::max<int64_t>(1, std::llround((1.0 - options_.jitter()) * l));
  const int64_t high = std::max<int64_t>(low, std::llround((1.0 + options_.jitter()) * l));
  const double u = rng.shared_uniform();  // one path length for all chains
  return low + std::min<int64_t>(high - low,
                                 static_cast<int64_t>(u * static_cast<double>(high - low + 1)));
}

Info Hmc::step(State& state, Rng& rng) {
  const DiagonalMetric metric = this->metric();
  const int64_t steps = draw_num_steps(rng);
  PhasePoint z = phase_point(state, metric.sample_momentum(state.x, rng));
  const torch::Tensor h0 = z.hamiltonian(metric);
  z = leapfrog(target(), metric, z, tuning_.step_size, steps);
  // As in Stan's static HMC the energy error is checked at the end of the trajectory only.
  const torch::Tensor h1 = z.hamiltonian(metric);
  const torch::Tensor log_ratio = h0 - h1;
  const torch::Tensor divergent = -log_ratio > options_.max_delta_h();
  Info info = accept_or_reject(state, State{z.x, z.energy, z.grad}, log_ratio, rng);
  info.energy_evals = steps * state.chains();
  info.gradient_evals = steps * state.chains();
  add_step_size_stat(info);
  info.add_stat("n_leapfrog__", torch::full({state.chains()}, steps, torch::kFloat64));
  info.add_stat("divergent__", divergent);
  info.add_stat("energy__", torch::where(info.accepted, h1, h0));
  return info;
}

torch::Tensor Hmc::probe_log_accept(const State& state, const torch::Tensor& step_size, Rng& rng) {
  return leapfrog_probe_log_accept(target(), metric(), state, step_size, rng);
}

EBMC_REGISTER(register_sampler<HmcOptions>(
    "hmc", "Hamiltonian Monte Carlo, fixed or jittered path length",
    [](const HmcOptions& o) { return adapted_sampler(std::make_shared<Hmc>(o), o.adaptation()); }));

}  // namespace ebmc
