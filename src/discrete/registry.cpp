#include "ebmc/discrete/registry.h"

namespace ebmc {

std::unique_ptr<DiscreteTarget> make_discrete_target(const std::string& spec) {
  return make_component<std::unique_ptr<DiscreteTarget>>(ComponentKind::kDiscreteTarget, spec,
                                                         "--target");
}

bool is_registered_discrete_target(const std::string& spec) {
  return find_component(ComponentKind::kDiscreteTarget, spec.substr(0, spec.find(':'))) != nullptr;
}

}  // namespace ebmc
