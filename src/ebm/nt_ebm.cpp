#include "ebmc/ebm/nt_ebm.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void NtEbmOptions::validate() const {
  check_at_least(steps(), 1, "ntebm", "steps");
  if (!(target_accept() > 0 && target_accept() < 1)) {
    throw InputError("target_accept must be in (0, 1)", "ntebm:target_accept");
  }
  check_step_size(step_size(), "ntebm:step_size");
  if (flow_fit() != "data" && flow_fit() != "negatives") {
    throw InputError("flow_fit must be data or negatives, got '" + flow_fit() + "'",
                     "ntebm:flow_fit");
  }
  flow().validate();
}

NtEbm::NtEbm(NtEbmOptions options)
    : options_(std::move(options)), log_step_(std::log(options_.step_size())) {
  options_.validate();
}

torch::Tensor NtEbm::initialize(const EbmContext& context, int64_t persistent, Rng& rng) {
  companion_ =
      std::make_unique<CompanionFlow>(context.dim, context.base_scale, options_.flow(), rng);
  kernel_ = std::make_shared<Neutra>(NeutraOptions().inner("mala"), companion_->flow());
  data_ = context.data;
  torch::NoGradGuard no_grad;
  return companion_->flow()->sample(persistent, rng).x;
}

NegativeBatch NtEbm::negatives(const EbmTarget& target, torch::Tensor& chains, int64_t, int64_t,
                               Rng& rng) {
  NegativeBatch batch;
  // Data-parallel: `chains` are this rank's, drawn for as one process would draw for all.
  Rng rows = share().rows_of(rng);
  {
    torch::NoGradGuard no_grad;
    chains = companion_->flow()->sample(chains.size(0), rows).x;  // starting strategy: the flow
  }
  batch.start = chains.clone();
  State state = kernel_->init(target, chains);
  kernel_->set_tuning(Tuning::initial(std::exp(log_step_), chains.size(0), chains.size(1)));
  // Per-chain acceptances of every step, averaged over the batch at the end (one collective).
  std::vector<torch::Tensor> accepts;
  for (int64_t s = 0; s < options_.steps(); ++s) {
    accepts.push_back(kernel_->step(state, rows).accept_prob);
    record(batch, state.x);
  }
  double accept = 0;
  for (double mean : share().batch_means(accepts)) accept += mean;
  accept /= static_cast<double>(options_.steps());
  if (!evaluating()) log_step_ += accept - options_.target_accept();
  chains = state.x;
  batch.x = state.x;
  batch.local_accept = accept;
  if (!evaluating()) {
    if (options_.flow_fit() == "negatives") {
      companion_->fit_step(batch.x, share());
    } else {
      companion_->fit_step(data_.index_select(0, rows.random_rows(data_.size(0), batch.x.size(0))),
                           share());
    }
  }
  return batch;
}

void NtEbm::save(torch::serialize::OutputArchive& archive) {
  companion_->save(archive);
  archive.write("log_step", torch::tensor({log_step_}, torch::kFloat64));
}

void NtEbm::load(torch::serialize::InputArchive& archive) {
  companion_->load(archive);
  torch::Tensor log_step;
  archive.read("log_step", log_step);
  log_step_ = log_step[0].item<double>();
}

EBMC_REGISTER((register_ebm_method<NtEbm, NtEbmOptions>(
    "ntebm", "NT-EBM: MALA in the companion flow's latent space, chains from the flow")));

}  // namespace ebmc
