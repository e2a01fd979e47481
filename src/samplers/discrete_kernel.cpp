#include "ebmc/samplers/discrete_kernel.h"

#include <stdexcept>

#include "ebmc/discrete/moves.h"

namespace ebmc {

State DiscreteKernel::init(const DiscreteTarget& target, const torch::Tensor& x0) {
  target.check_states(x0);
  prepare(target);
  bound_.bind(target);
  State state = evaluate(x0.to(torch::kFloat64), uses_gradient());
  check_initial_energy(state.energy, target.name());
  return state;
}

State DiscreteKernel::evaluate(const torch::Tensor& x, bool with_gradient) const {
  if (!with_gradient) return {x, -target().log_prob(x), torch::Tensor()};
  LogProbAndGrad fg = target().log_prob_and_grad(x);
  return {x, -fg.log_prob, -fg.grad};
}

Info DiscreteKernel::exact_move_info(const torch::Tensor& before,
                                     const torch::Tensor& after) const {
  const torch::Tensor changed = hamming_distance(target(), before, after);
  Info info;
  info.accepted = changed > 0;
  info.add_stat("flips__", changed);
  info.accept_prob = torch::ones({before.size(0)}, torch::kFloat64);
  return info;
}

void accumulate_transitions(torch::Tensor& p, const torch::Tensor& from, const torch::Tensor& to,
                            const torch::Tensor& probs) {
  const torch::Tensor rows = from.unsqueeze(1).expand_as(to).reshape({-1});
  p.index_put_({rows, to.reshape({-1})}, probs.reshape({-1}), /*accumulate=*/true);
}

}  // namespace ebmc
