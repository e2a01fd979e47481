#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

std::unique_ptr<DiscreteKernel> make_discrete_sampler(const std::string& spec) {
  return make_component<std::unique_ptr<DiscreteKernel>>(ComponentKind::kDiscreteSampler, spec,
                                                         "--sampler");
}

bool is_registered_discrete_sampler(const std::string& spec) {
  return find_component(ComponentKind::kDiscreteSampler, spec.substr(0, spec.find(':'))) != nullptr;
}

}  // namespace ebmc
