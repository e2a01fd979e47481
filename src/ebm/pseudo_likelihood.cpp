#include "ebmc/ebm/pseudo_likelihood.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor pseudo_likelihood_loss(const DiscreteEnergyModel& model, const torch::Tensor& x,
                                     double l1) {
  torch::Tensor loss = -model.pseudo_log_likelihood(x).mean();
  if (l1 > 0) {
    const torch::Tensor penalty = model.penalty();
    if (penalty.defined()) loss = loss + l1 * penalty;
  }
  return loss;
}

double fit_pseudo_likelihood(DiscreteEnergyModel& model, const torch::Tensor& data,
                             const PseudoLikelihoodOptions& options, Rng& rng) {
  if (options.steps < 1) throw InputError("steps must be >= 1", "--steps");
  if (options.batch < 0) throw InputError("batch must be >= 0", "--batch");
  if (!(options.learning_rate > 0 && std::isfinite(options.learning_rate))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (!(options.l1 >= 0 && std::isfinite(options.l1))) throw InputError("must be >= 0", "--l1");
  const torch::Tensor x = data.to(torch::kFloat64);
  check_model_states(model, x);
  torch::optim::Adam adam(model.parameters(), torch::optim::AdamOptions(options.learning_rate));
  double last = NAN;
  for (int64_t step = 0; step < options.steps; ++step) {
    const torch::Tensor rows = options.batch > 0 && options.batch < x.size(0)
                                   ? x.index_select(0, rng.random_rows(x.size(0), options.batch))
                                   : x;
    const torch::Tensor loss = pseudo_likelihood_loss(model, rows, options.l1);
    adam.zero_grad();
    loss.backward();
    adam.step();
    last = loss.item<double>();
  }
  return last;
}

}  // namespace ebmc
