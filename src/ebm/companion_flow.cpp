#include "ebmc/ebm/companion_flow.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/flows/flow_trainer.h"
#include "ebmc/learned/optimization.h"

namespace ebmc {

void CompanionFlowOptions::validate() const {
  check_at_least(blocks(), 1, "method", "blocks");
  check_at_least(hidden(), 1, "method", "hidden");
  check_at_least(layers(), 0, "method", "layers");
  if (!(learning_rate() > 0 && std::isfinite(learning_rate()))) {
    throw InputError("flow_lr must be finite and > 0", "method:flow_lr");
  }
}

CompanionFlow::CompanionFlow(int64_t dim, double base_scale, const CompanionFlowOptions& options,
                             Rng& rng) {
  flow_ = std::make_shared<RealNvp>(dim,
                                    RealNvpOptions()
                                        .blocks(options.blocks())
                                        .hidden(options.hidden())
                                        .layers(options.layers())
                                        .base_scale(base_scale),
                                    rng);
  optimizer_ = std::make_unique<torch::optim::Adam>(
      flow_->parameters(), torch::optim::AdamOptions(options.learning_rate()));
}

double CompanionFlow::fit_step(const torch::Tensor& x, const BatchShare& share) {
  torch::AutoGradMode enable(true);
  optimizer_->zero_grad();
  const torch::Tensor loss = forward_kl_loss(*flow_, x.detach(), share);
  loss.backward();
  const double value = share.sum_gradients(flow_->parameters(), loss.item<double>());
  step_if_finite(*optimizer_, flow_->parameters(), value, 10.0);
  return value;
}

void CompanionFlow::pretrain(const torch::Tensor& data, int64_t steps, int64_t batch, Rng& rng) {
  for (int64_t s = 0; s < steps; ++s) {
    const torch::Tensor rows = rng.random_rows(data.size(0), batch);
    fit_step(data.index_select(0, rows));
  }
}

void CompanionFlow::save(torch::serialize::OutputArchive& archive) {
  write_module_and_optimizer(archive, "flow", *flow_, *optimizer_);
}

void CompanionFlow::load(torch::serialize::InputArchive& archive) {
  read_module_and_optimizer(archive, "flow", *flow_, *optimizer_);
}

}  // namespace ebmc
