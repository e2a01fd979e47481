#include "ebmc/discrete/registry.h"

namespace ebmc {

std::unique_ptr<DiscreteTarget> make_discrete_target(const std::string& spec) {
  return make_component<std::unique_ptr<DiscreteTarget>>(ComponentKind::kDiscreteTarget, spec,
                                                         "--target");
}

bool is_registered_discrete_target(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  if (find_component(ComponentKind::kDiscreteTarget, name) == nullptr) return false;
  // A name registered for both kinds (torchscript) is discrete when the spec says `kind=`.
  if (find_component(ComponentKind::kTarget, name) == nullptr) return true;
  const size_t colon = spec.find(':');
  return colon != std::string::npos &&
         (spec.find(":kind=", colon) == colon || spec.find(",kind=", colon) != std::string::npos);
}

}  // namespace ebmc
