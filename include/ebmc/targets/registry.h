#pragma once
/// @file registry.h
/// Targets by name, as `ebmc sample --target NAME[:opts]` selects them.

#include <memory>
#include <string>
#include <vector>

#include "ebmc/core/target.h"

namespace ebmc {

/// Builds the target named by `spec` (e.g. `gaussian:d=10,scale=2`). Throws InputError for an
/// unknown name or option.
std::unique_ptr<Target> make_target(const std::string& spec);

/// The folder `blr:data=NAME` reads NAME.csv from: $EBMC_DATA_DIR, else the source tree's data/.
std::string default_data_dir();

/// One line per available target: its spec syntax and what it is.
std::vector<std::string> target_catalogue();

}  // namespace ebmc
