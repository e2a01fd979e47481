#include "ebmc/ebm/pseudo_likelihood.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor pseudo_likelihood_loss(const LearnedIsing& model, const torch::Tensor& x, double l1) {
  const torch::Tensor s = 2 * x - 1;
  const torch::Tensor field = 2 * s.matmul(model.couplings()) + model.bias();
  torch::Tensor loss = -torch::log_sigmoid(2 * s * field).sum(1).mean();
  if (l1 > 0) loss = loss + l1 * model.couplings_l1();
  return loss;
}

double fit_pseudo_likelihood(LearnedIsing& model, const torch::Tensor& data,
                             const PseudoLikelihoodOptions& options, Rng& rng) {
  if (options.steps < 1) throw InputError("steps must be >= 1", "--steps");
  if (options.batch < 0) throw InputError("batch must be >= 0", "--batch");
  if (!(options.learning_rate > 0 && std::isfinite(options.learning_rate))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (!(options.l1 >= 0 && std::isfinite(options.l1))) throw InputError("must be >= 0", "--l1");
  if (data.dim() != 2 || data.size(1) != model.sites() || data.size(0) < 1 ||
      !((data == 0) | (data == 1)).all().item<bool>()) {
    throw InputError("training data must be binary [rows, " + std::to_string(model.sites()) + "]",
                     "--data");
  }
  const torch::Tensor x = data.to(torch::kFloat64);
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
