#include "ebmc/ebm/coopflow.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/ebm/ula_ebm.h"

namespace ebmc {

void CoopFlowOptions::validate() const {
  if (!(step_size() > 0 && std::isfinite(step_size()))) {
    throw InputError("step_size must be finite and > 0", "coopflow:step_size");
  }
  check_at_least(steps(), 1, "coopflow", "steps");
  check_at_least(pretrain(), 0, "coopflow", "pretrain");
  if (!(frozen() >= 0 && frozen() <= 1)) {
    throw InputError("frozen must be in [0, 1]", "coopflow:frozen");
  }
  flow().validate();
}

CoopFlow::CoopFlow(CoopFlowOptions options) : options_(std::move(options)) { options_.validate(); }

torch::Tensor CoopFlow::initialize(const EbmContext& context, int64_t persistent, Rng& rng) {
  companion_ =
      std::make_unique<CompanionFlow>(context.dim, context.base_scale, options_.flow(), rng);
  companion_->pretrain(context.data, options_.pretrain(), 256, rng);
  torch::NoGradGuard no_grad;
  return companion_->flow()->sample(persistent, rng).x;
}

NegativeBatch CoopFlow::negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                                  int64_t iterations, Rng& rng) {
  NegativeBatch batch;
  // Data-parallel: `chains` are this rank's, drawn for as one process would draw for all.
  Rng rows = share().rows_of(rng);
  {
    torch::NoGradGuard no_grad;
    chains = companion_->flow()->sample(chains.size(0), rows).x;
  }
  batch.start = chains.clone();
  chains =
      unadjusted_langevin(target, chains, options_.step_size(), options_.steps(), options_.noise(),
                          rows, [&](const torch::Tensor& x) { record(batch, x); });
  batch.x = chains;
  if (!evaluating() &&
      static_cast<double>(iteration) >= options_.frozen() * static_cast<double>(iterations)) {
    companion_->fit_step(batch.x, share());
  }
  return batch;
}

EBMC_REGISTER((register_ebm_method<CoopFlow, CoopFlowOptions>(
    "coopflow", "CoopFlow: short-run Langevin from a flow pretrained on the data")));

}  // namespace ebmc
