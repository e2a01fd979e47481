#include "ebmc/ebm/score_matching.h"

namespace ebmc {

torch::Tensor sliced_score_matching_loss(EnergyModel& model, const torch::Tensor& data, Rng& rng,
                                         const BatchShare& share) {
  torch::AutoGradMode enable(true);
  const torch::Tensor x = data.detach().to(torch::kFloat64).requires_grad_(true);
  const torch::Tensor log_q = -model.tilted_energy(x);
  const torch::Tensor score = torch::autograd::grad({log_q.sum()}, {x}, {}, /*retain_graph=*/true,
                                                    /*create_graph=*/true)[0];
  const torch::Tensor eps = share.normal(rng, x.sizes());
  const torch::Tensor projected = torch::autograd::grad({(score * eps).sum()}, {x}, {},
                                                        /*retain_graph=*/true,
                                                        /*create_graph=*/true)[0];
  return share.mean(0.5 * score.pow(2).sum(1) + (projected * eps).sum(1));
}

torch::Tensor ScoreMatching::sample_free_loss(EnergyModel& model, const torch::Tensor& positives,
                                              Rng& rng) {
  return sliced_score_matching_loss(model, positives, rng, share());
}

EBMC_REGISTER((register_ebm_method<ScoreMatching, ScoreMatchingOptions>(
    "ssm", "sliced score matching: sample-free, the Hessian trace by random projections")));

}  // namespace ebmc
