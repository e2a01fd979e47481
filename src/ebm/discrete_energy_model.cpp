#include "ebmc/ebm/discrete_energy_model.h"

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor DiscreteEnergyModel::pseudo_log_likelihood(const torch::Tensor&) const {
  throw InputError("the pseudo-likelihood needs an ising or potts model (" + kind() +
                       " has no cheap conditionals)",
                   "--method plm");
}

std::shared_ptr<DiscreteEnergyModel> make_discrete_energy_model(const std::string& spec,
                                                                int64_t sites, int64_t values,
                                                                Rng& rng) {
  const DiscreteEnergyModelBuilder build =
      make_component<DiscreteEnergyModelBuilder>(ComponentKind::kDiscreteEbmModel, spec, "--model");
  if (sites < 1) throw InputError("the data have no sites", "--data");
  return build(sites, values, rng);
}

bool is_discrete_energy_model(const std::string& text) {
  return find_component(ComponentKind::kDiscreteEbmModel, Spec::parse(text, "--model").name()) !=
         nullptr;
}

torch::Tensor data_log_odds(const torch::Tensor& x) {
  return torch::logit(x.mean(0).clamp(1e-3, 1 - 1e-3));
}

void require_binary_data(int64_t values, const std::string& kind) {
  if (values != 2) throw InputError("'" + kind + "' takes binary data", "--model " + kind);
}

torch::Tensor one_hot_states(const torch::Tensor& categories, int64_t values) {
  return torch::one_hot(categories.to(torch::kInt64), values).to(torch::kFloat64);
}

}  // namespace ebmc
