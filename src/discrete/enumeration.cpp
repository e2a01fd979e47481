#include "ebmc/discrete/enumeration.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/discrete/moves.h"

namespace ebmc {

namespace {

torch::Tensor place_values(const DiscreteTarget& target) {
  const int64_t k = target.num_values(), d = target.num_sites();
  if (static_cast<double>(d) * std::log2(static_cast<double>(k)) > 20.0) {
    throw InputError("too many states to enumerate (more than 2^20)", target.name());
  }
  std::vector<int64_t> powers(d);
  int64_t p = 1;
  for (int64_t i = 0; i < d; ++i, p *= k) powers[i] = p;
  return torch::tensor(powers, torch::kInt64);
}

}  // namespace

torch::Tensor all_states(const DiscreteTarget& target) {
  const torch::Tensor powers = place_values(target);
  const int64_t k = target.num_values();
  const int64_t count = powers[-1].item<int64_t>() * k;
  const torch::Tensor index = torch::arange(count, torch::kInt64).unsqueeze(1);
  return states_from_values(target, torch::remainder(torch::div(index, powers, "floor"), k));
}

torch::Tensor state_indices(const DiscreteTarget& target, const torch::Tensor& x) {
  return (site_values(target, x) * place_values(target)).sum(1);
}

torch::Tensor exact_probabilities(const DiscreteTarget& target) {
  return torch::softmax(target.log_prob(all_states(target)), 0);
}

}  // namespace ebmc
