#include "ebmc/ebm/ula_ebm.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void UlaEbmOptions::validate() const {
  if (!(step_size() > 0 && std::isfinite(step_size()))) {
    throw InputError("step_size must be finite and > 0", "ula:step_size");
  }
  check_at_least(steps(), 1, "ula", "steps");
}

torch::Tensor unadjusted_langevin(const Target& target, torch::Tensor x, double eta, int64_t steps,
                                  bool noise, Rng& rng,
                                  const std::function<void(const torch::Tensor&)>& after_step,
                                  const BatchShare& share) {
  const double scale = std::sqrt(2.0 * eta);
  for (int64_t s = 0; s < steps; ++s) {
    const EnergyAndGrad at = target.energy_and_grad(x);
    x = x - eta * at.grad;
    if (noise) x = x + scale * share.normal(rng, x.sizes());
    if (after_step) after_step(x);
  }
  return x;
}

torch::Tensor uniform_on_data_box(const torch::Tensor& data, int64_t rows, Rng& rng) {
  const torch::Tensor lo = std::get<0>(data.min(0)), hi = std::get<0>(data.max(0));
  const torch::Tensor margin = 0.1 * (hi - lo);
  return (lo - margin) + (hi - lo + 2 * margin) * rng.uniform({rows, data.size(1)});
}

UlaEbm::UlaEbm(UlaEbmOptions options) : options_(std::move(options)) { options_.validate(); }

torch::Tensor UlaEbm::initialize(const EbmContext& context, int64_t persistent, Rng& rng) {
  if (options_.init() == "gaussian")
    return context.base_scale * rng.normal({persistent, context.dim});
  return uniform_on_data_box(context.data, persistent, rng);
}

NegativeBatch UlaEbm::negatives(const EbmTarget& target, torch::Tensor& chains, int64_t, int64_t,
                                Rng& rng) {
  NegativeBatch batch;
  batch.start = chains.clone();
  chains = unadjusted_langevin(
      target, chains, options_.step_size(), options_.steps(), true, rng,
      [&](const torch::Tensor& x) { record(batch, x); }, share());
  batch.x = chains;
  return batch;
}

EBMC_REGISTER((register_ebm_method<UlaEbm, UlaEbmOptions>(
    "ula", "ULA-EBM: persistent unadjusted Langevin chains (grenioux-2023 Algorithm 3)")));

}  // namespace ebmc
