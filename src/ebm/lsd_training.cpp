#include "ebmc/ebm/lsd_training.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/learned/optimization.h"
#include "ebmc/stein/lsd.h"

namespace ebmc {

void LsdTrainingOptions::validate() const {
  check_at_least(hidden(), 1, "lsd", "hidden");
  check_at_least(layers(), 1, "lsd", "layers");
  check_at_least(critic_steps(), 1, "lsd", "critic_steps");
  if (!(critic_lr() > 0 && std::isfinite(critic_lr()))) {
    throw InputError("critic_lr must be finite and > 0", "lsd:critic_lr");
  }
  if (!(lambda() > 0 && std::isfinite(lambda()))) {
    throw InputError("lambda must be finite and > 0", "lsd:lambda");
  }
  if (!(dropout() >= 0 && dropout() < 1)) throw InputError("must be in [0, 1)", "lsd:dropout");
  if (!(weight_decay() >= 0 && std::isfinite(weight_decay()))) {
    throw InputError("weight_decay must be finite and >= 0", "lsd:weight_decay");
  }
}

torch::Tensor energy_model_score(EnergyModel& model, const torch::Tensor& x, bool create_graph) {
  torch::AutoGradMode enable(true);
  const torch::Tensor xg = x.detach().to(torch::kFloat64).requires_grad_(true);
  const torch::Tensor u = model.tilted_energy(xg);
  const torch::Tensor grad =
      torch::autograd::grad({u.sum()}, {xg}, {}, /*retain_graph=*/create_graph, create_graph)[0];
  return create_graph ? -grad : -grad.detach();
}

LsdTraining::LsdTraining(LsdTrainingOptions options) : options_(options) { options_.validate(); }

torch::Tensor LsdTraining::initialize(const EbmContext& context, int64_t persistent, Rng& rng) {
  data_ = context.data;
  critic_ =
      Mlp(context.dim, options_.hidden(), options_.layers(), context.dim, Activation::kSilu, rng);
  critic_optimizer_ = std::make_unique<torch::optim::Adam>(
      critic_->parameters(), torch::optim::AdamOptions(options_.critic_lr())
                                 .betas({0.5, 0.9})
                                 .weight_decay(options_.weight_decay()));
  return SampleFreeMethod::initialize(context, persistent, rng);
}

torch::Tensor LsdTraining::sample_free_loss(EnergyModel& model, const torch::Tensor& positives,
                                            Rng& rng) {
  // The critic ascends the LSD of the current model on fresh minibatches (data-parallel: the
  // ranks' rows of them, the critic's gradient summed over the ranks).
  const int64_t batch = share().whole() ? positives.size(0) : share().total();
  Rng rows = share().rows_of(rng);
  for (int64_t k = 0; k < options_.critic_steps(); ++k) {
    const torch::Tensor x =
        data_.index_select(0, share().take(rng.random_rows(data_.size(0), batch)));
    const torch::Tensor score = energy_model_score(model, x, /*create_graph=*/false);
    const torch::Tensor gain = lsd_critic_gain(critic_, x, score, options_.lambda(),
                                               options_.dropout(), /*power=*/false, rows, share());
    critic_optimizer_->zero_grad();
    (-gain).backward();
    if (std::isfinite(share().sum_gradients(critic_->parameters(), gain.item<double>()))) {
      critic_optimizer_->step();
    }
  }
  // The model descends the LSD with the critic fixed (no dropout).
  torch::AutoGradMode enable(true);
  const torch::Tensor x = positives.detach().to(torch::kFloat64).requires_grad_(true);
  const torch::Tensor f = critic_->forward(x);
  const torch::Tensor eps = rows.normal(f.sizes());
  const torch::Tensor trace =
      (torch::autograd::grad({(f * eps).sum()}, {x})[0] * eps).sum(1).detach();
  const torch::Tensor score = energy_model_score(model, positives, /*create_graph=*/true);
  return share().mean((score * f.detach()).sum(1) + trace);
}

void LsdTraining::save(torch::serialize::OutputArchive& archive) {
  write_module_and_optimizer(archive, "lsd_critic", *critic_, *critic_optimizer_);
}

void LsdTraining::load(torch::serialize::InputArchive& archive) {
  read_module_and_optimizer(archive, "lsd_critic", *critic_, *critic_optimizer_);
}

EBMC_REGISTER((register_ebm_method<LsdTraining, LsdTrainingOptions>(
    "lsd",
    "Learned Stein Discrepancy: a critic ascends the LSD, the model descends it "
    "(sample-free, first derivatives only)")));

}  // namespace ebmc
