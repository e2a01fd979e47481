#include "ebmc/discrete/registry.h"

namespace ebmc {

std::unique_ptr<DiscreteTarget> make_discrete_target(const std::string& spec) {
  return make_component<std::unique_ptr<DiscreteTarget>>(ComponentKind::kDiscreteTarget, spec,
                                                         "--target");
}

bool is_registered_discrete_target(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  if (find_component(ComponentKind::kDiscreteTarget, name) == nullptr) return false;
  if (find_component(ComponentKind::kTarget, name) == nullptr) return true;
  // A name registered for both kinds (torchscript) is discrete when the spec gives `kind=`;
  // a malformed spec is left to the continuous factory, which reports it.
  try {
    return Spec::parse(spec, "--target").has("kind");
  } catch (const InputError&) {
    return false;
  }
}

}  // namespace ebmc
