#pragma once
/// @file registry.h
/// Samplers on continuous targets by name, as `ebmc sample --sampler NAME[:opts]` selects them.
/// Each sampler registers itself in its own source file (see core/registry.h).

#include <memory>
#include <string>

#include "ebmc/core/registry.h"
#include "ebmc/core/runner.h"

namespace ebmc {

/// Builds the sampler named by `spec` (e.g. `nuts:target_accept=0.9`, `hmc:step_size=0.1,
/// num_steps=20,adapt=0`, `l2hmc:model=model.pt`: a trained learned kernel, which refuses at
/// `init` a target other than the one it was trained for): its kernel and, unless `adapt=0`,
/// its warmup adaptation. Throws InputError for an unknown name or option.
Sampler make_sampler(const std::string& spec);

/// Registers the continuous sampler `name` built by `build(const Options&) -> Sampler`.
template <class Options, class Build>
bool register_sampler(const std::string& name, const std::string& summary, Build build) {
  return register_component<Sampler, Options>(ComponentKind::kSampler, name, summary, build);
}

}  // namespace ebmc
