#include "ebmc/ebm/maximum_likelihood.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

/// The model's log Z_θ; InputError when it has no closed form.
torch::Tensor required_log_normalizer(EnergyModel& model) {
  torch::Tensor log_z = model.log_normalizer();
  if (!log_z.defined()) {
    throw InputError("the " + model.kind() +
                         " model has no closed-form normalizer: exact likelihood needs one "
                         "(e.g. --model ica)",
                     "--method ml");
  }
  return log_z;
}

}  // namespace

void MaximumLikelihood::check_model(EnergyModel& model) const { required_log_normalizer(model); }

torch::Tensor MaximumLikelihood::sample_free_loss(EnergyModel& model,
                                                  const torch::Tensor& positives, Rng&) {
  // Each rank's part of log Z is its fraction of the batch: the parts sum to log Z.
  return share().mean(model.tilted_energy(positives)) +
         share().fraction() * required_log_normalizer(model);
}

std::pair<double, double> mean_log_likelihood(EnergyModel& model, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  const torch::Tensor log_p = -model.tilted_energy(x) - required_log_normalizer(model);
  const double sd = x.size(0) > 1 ? log_p.std().item<double>() : 0.0;
  return {log_p.mean().item<double>(), sd / std::sqrt(static_cast<double>(x.size(0)))};
}

EBMC_REGISTER((register_ebm_method<MaximumLikelihood, MaximumLikelihoodOptions>(
    "ml", "exact maximum likelihood, for models with a closed-form normalizer (ica)")));

}  // namespace ebmc
