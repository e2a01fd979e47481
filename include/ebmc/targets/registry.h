#pragma once
/// @file registry.h
/// Continuous targets by name, as `ebmc sample --target NAME[:opts]` selects them. Each target
/// registers itself in its own source file (see core/registry.h).

#include <memory>
#include <string>

#include "ebmc/core/registry.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// Builds the target named by `spec` (e.g. `gaussian:d=10,scale=2`). Throws InputError for an
/// unknown name or option.
std::unique_ptr<Target> make_target(const std::string& spec);

/// True when `spec` names a registered continuous target.
bool is_registered_target(const std::string& spec);

/// The folder `blr:data=NAME` reads NAME.csv from: $EBMC_DATA_DIR, else the source tree's data/.
std::string default_data_dir();

/// Registers the continuous target `name` built by `build(const Options&)`.
template <class Options, class Build>
bool register_target(const std::string& name, const std::string& summary, Build build) {
  return register_component<std::unique_ptr<Target>, Options>(ComponentKind::kTarget, name, summary,
                                                              build);
}

}  // namespace ebmc
