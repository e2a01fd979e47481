#include "ebmc/ebm/flowmc_ebm.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void FlowMcEbmOptions::validate() const {
  check_at_least(particles(), 1, "flowmc", "particles");
  check_at_least(global_steps(), 0, "flowmc", "global_steps");
  check_at_least(first_local(), 0, "flowmc", "first_local");
  check_at_least(local_steps(), 0, "flowmc", "local_steps");
  if (global_steps() + local_steps() < 1) {
    throw InputError("needs global_steps + local_steps >= 1", "flowmc:local_steps");
  }
  check_at_least(cycles(), 1, "flowmc", "cycles");
  if (!(step_size() > 0 && std::isfinite(step_size()))) {
    throw InputError("step_size must be finite and > 0", "flowmc:step_size");
  }
  flow().validate();
}

FlowMcEbm::FlowMcEbm(FlowMcEbmOptions options) : options_(std::move(options)) {
  options_.validate();
}

torch::Tensor FlowMcEbm::initialize(const EbmContext& context, int64_t persistent, Rng& rng) {
  companion_ =
      std::make_unique<CompanionFlow>(context.dim, context.base_scale, options_.flow(), rng);
  FlowMcOptions sampler;
  sampler.global(options_.global())
      .particles(options_.particles())
      .global_steps(options_.global_steps())
      .local_steps(options_.local_steps())
      .step_size(std::sqrt(2.0 * options_.step_size()))  // MALA's ε with ε²/2 = η
      .adapt(false)
      .adapt_flow(false);
  kernel_ = std::make_shared<FlowMc>(sampler, companion_->flow());
  torch::NoGradGuard no_grad;
  return companion_->flow()->sample(persistent, rng).x;
}

NegativeBatch FlowMcEbm::negatives(const EbmTarget& target, torch::Tensor& chains, int64_t, int64_t,
                                   Rng& rng) {
  NegativeBatch batch;
  batch.start = chains.clone();
  // Data-parallel: `chains` are this rank's, drawn for as one process would draw for all.
  Rng rows = share().rows_of(rng);
  State state = kernel_->init(target, chains);
  double global = 0, local = 0;
  int64_t local_count = 0;
  const auto batch_mean = [this](const torch::Tensor& values) {
    return share().batch_means({values})[0];
  };
  for (int64_t l = 0; l < options_.first_local(); ++l) {
    local += batch_mean(kernel_->local().step(state, rows).accept_prob);
    ++local_count;
  }
  std::vector<torch::Tensor> visited;
  for (int64_t c = 0; c < options_.cycles(); ++c) {
    const Info info = kernel_->step(state, rows);
    global += batch_mean(info.stat("global_accept__"));
    if (options_.local_steps() > 0) {
      local += batch_mean(info.accept_prob);
      ++local_count;
    }
    visited.push_back(state.x);
    record(batch, state.x);
  }
  chains = state.x;
  batch.x = options_.negatives() == "all" ? torch::cat(visited) : state.x;
  if (options_.global_steps() > 0) batch.global_accept = global / options_.cycles();
  if (local_count > 0) batch.local_accept = local / static_cast<double>(local_count);
  if (!evaluating()) companion_->fit_step(batch.x, share());
  return batch;
}

EBMC_REGISTER((register_ebm_method<FlowMcEbm, FlowMcEbmOptions>(
    "flowmc", "flowMC-EBM: flowMC negatives, companion flow fitted to them (Algorithm 1)")));

}  // namespace ebmc
