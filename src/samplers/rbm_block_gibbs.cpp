#include "ebmc/samplers/rbm_block_gibbs.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

void RbmBlockGibbs::prepare(const DiscreteTarget& target) {
  rbm_ = dynamic_cast<const Rbm*>(&target);
  if (rbm_ == nullptr) {
    throw InputError("block Gibbs needs an RBM target, got '" + target.name() + "'", "rbm_gibbs");
  }
}

Info RbmBlockGibbs::step(State& state, Rng& rng) {
  const torch::Tensor p_hidden = rbm_->hidden_probabilities(state.x);
  const torch::Tensor h = (rng.uniform(p_hidden.sizes()) < p_hidden).to(torch::kFloat64);
  const torch::Tensor p_visible = rbm_->visible_probabilities(h);
  const torch::Tensor next = (rng.uniform(p_visible.sizes()) < p_visible).to(torch::kFloat64);
  Info info = exact_move_info(state.x, next);
  state.x = next;
  state.energy = -target().log_prob(next);
  info.energy_evals = state.chains();
  return info;
}

torch::Tensor RbmBlockGibbs::transition_matrix(const torch::Tensor& states) const {
  const int64_t hidden = rbm_->num_hidden();
  if (hidden > 16) throw InputError("too many hidden units to enumerate", "rbm_gibbs");
  const torch::Tensor powers = torch::pow(2, torch::arange(hidden, torch::kInt64));
  const torch::Tensor h =
      torch::remainder(torch::div(torch::arange(int64_t{1} << hidden, torch::kInt64).unsqueeze(1),
                                  powers, "floor"),
                       2)
          .to(torch::kFloat64);  // [2^H, H]
  const auto bernoulli = [](const torch::Tensor& values, const torch::Tensor& probs) {
    // Π_j p_j^{v_j} (1 − p_j)^{1 − v_j} for every (row of probs, row of values).
    return torch::exp(torch::matmul(torch::log(probs), values.t()) +
                      torch::matmul(torch::log1p(-probs), (1 - values).t()));
  };
  const torch::Tensor given_x = bernoulli(h, rbm_->hidden_probabilities(states));   // [S, 2^H]
  const torch::Tensor given_h = bernoulli(states, rbm_->visible_probabilities(h));  // [2^H, S]
  return torch::matmul(given_x, given_h);
}

EBMC_REGISTER(register_discrete_sampler<NoOptions>("rbm_gibbs",
                                                   "block Gibbs for RBMs (h | x, then x | h)",
                                                   [](const NoOptions&) {
                                                     return std::make_unique<RbmBlockGibbs>();
                                                   }));

}  // namespace ebmc
