#include "ebmc/targets/registry.h"

#include <cstdlib>
#include <filesystem>

namespace ebmc {

std::unique_ptr<Target> make_target(const std::string& spec) {
  return make_component<std::unique_ptr<Target>>(ComponentKind::kTarget, spec, "--target");
}

bool is_registered_target(const std::string& spec) {
  return find_component(ComponentKind::kTarget, spec.substr(0, spec.find(':'))) != nullptr;
}

std::string default_data_dir() {
  const char* env = std::getenv("EBMC_DATA_DIR");
  if (env != nullptr) return env;
  // The source tree's data when it is there (builds, tests), else the installed copy.
  return std::filesystem::is_directory(EBMC_DATA_DIR) ? EBMC_DATA_DIR : EBMC_INSTALLED_DATA_DIR;
}

}  // namespace ebmc
