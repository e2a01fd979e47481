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
  // Per-chain acceptances of every step, averaged over the batch at the end (one collective).
  std::vector<torch::Tensor> global_rows, local_rows;
  for (int64_t l = 0; l < options_.first_local(); ++l) {
    local_rows.push_back(kernel_->local().step(state, rows).accept_prob);
  }
  std::vector<torch::Tensor> visited;
  // In evaluation every move's state goes to the trajectory (the global move's, then each local
  // step's), as the other methods record every MCMC step: R-hat compares like with like.
  kernel_->record_visited(evaluating());
  for (int64_t c = 0; c < options_.cycles(); ++c) {
    const Info info = kernel_->step(state, rows);
    global_rows.push_back(info.stat("global_accept__"));
    if (options_.local_steps() > 0) local_rows.push_back(info.accept_prob);
    visited.push_back(state.x);
    if (evaluating()) {
      for (const torch::Tensor& move : kernel_->visited().split(state.chains())) {
        record(batch, move);
      }
    }
  }
  kernel_->record_visited(false);
  chains = state.x;
  batch.x = options_.negatives() == "all" ? torch::cat(visited) : state.x;
  std::vector<torch::Tensor> all = global_rows;
  all.insert(all.end(), local_rows.begin(), local_rows.end());
  const std::vector<double> means = share().batch_means(all);
  double global = 0, local = 0;
  for (size_t i = 0; i < global_rows.size(); ++i) global += means[i];
  for (size_t i = global_rows.size(); i < means.size(); ++i) local += means[i];
  if (options_.global_steps() > 0) batch.global_accept = global / options_.cycles();
  if (!local_rows.empty()) {
    batch.local_accept = local / static_cast<double>(local_rows.size());
  }
  if (!evaluating()) companion_->fit_step(batch.x, share());
  return batch;
}

EBMC_REGISTER((register_ebm_method<FlowMcEbm, FlowMcEbmOptions>(
    "flowmc", "flowMC-EBM: flowMC negatives, companion flow fitted to them (Algorithm 1)")));

}  // namespace ebmc
