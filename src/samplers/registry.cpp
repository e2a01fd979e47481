#include "ebmc/samplers/registry.h"

namespace ebmc {

Sampler make_sampler(const std::string& spec) {
  // Learned kernels register their `NAME:model=PATH` factory in the same table.
  return make_component<Sampler>(ComponentKind::kSampler, spec, "--sampler");
}

}  // namespace ebmc
