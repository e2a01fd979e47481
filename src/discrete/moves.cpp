#include "ebmc/discrete/moves.h"

namespace ebmc {

torch::Tensor apply_moves(const DiscreteTarget& target, const torch::Tensor& x,
                          const torch::Tensor& moves) {
  torch::Tensor next = x.clone();
  if (!target.categorical()) {
    const torch::Tensor index = moves.unsqueeze(1);
    next.scatter_(1, index, 1.0 - x.gather(1, index));
    return next;
  }
  const int64_t k = target.num_values();
  const torch::Tensor chains = torch::arange(x.size(0), torch::kInt64);
  const torch::Tensor sites = torch::div(moves, k, "floor");
  const torch::Tensor values = torch::one_hot(torch::remainder(moves, k), k).to(x.dtype());
  next.index_put_({chains, sites}, values);
  return next;
}

torch::Tensor apply_move_sequences(const DiscreteTarget& target, const torch::Tensor& x,
                                   const torch::Tensor& moves) {
  if (!target.categorical()) {
    const torch::Tensor counts =
        torch::zeros_like(x).scatter_add_(1, moves, torch::ones_like(moves, x.options()));
    return (x - torch::remainder(counts, 2.0)).abs();
  }
  torch::Tensor next = x;
  for (int64_t n = 0; n < moves.size(1); ++n) next = apply_moves(target, next, moves.select(1, n));
  return next;
}

torch::Tensor reverse_moves(const DiscreteTarget& target, const torch::Tensor& x,
                            const torch::Tensor& moves) {
  if (!target.categorical()) return moves;
  const int64_t k = target.num_values();
  const torch::Tensor sites = torch::div(moves, k, "floor");
  return sites * k + site_values(target, x).gather(1, sites.unsqueeze(1)).squeeze(1);
}

torch::Tensor no_op_moves(const DiscreteTarget& target, const torch::Tensor& x) {
  if (!target.categorical()) return torch::zeros(x.sizes(), torch::kBool);
  return x.reshape({x.size(0), -1}) > 0.5;
}

torch::Tensor linearized_differences(const DiscreteTarget& target, const torch::Tensor& x,
                                     const torch::Tensor& grad_log_prob) {
  if (!target.categorical()) return -(2.0 * x - 1.0) * grad_log_prob;
  const torch::Tensor current = (x * grad_log_prob).sum(-1, true);
  return (grad_log_prob - current).reshape({x.size(0), -1});
}

torch::Tensor hamming_distance(const DiscreteTarget& target, const torch::Tensor& a,
                               const torch::Tensor& b) {
  return (site_values(target, a) != site_values(target, b)).sum(1).to(torch::kFloat64);
}

torch::Tensor site_values(const DiscreteTarget& target, const torch::Tensor& x) {
  return target.categorical() ? x.argmax(-1) : x.round().to(torch::kInt64);
}

torch::Tensor states_from_values(const DiscreteTarget& target, const torch::Tensor& values) {
  if (!target.categorical()) return values.to(torch::kFloat64);
  return torch::one_hot(values, target.num_values()).to(torch::kFloat64);
}

}  // namespace ebmc
