#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/registry.h"

namespace ebmc::cli {

void add_list_command(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "list", "List the registered targets and samplers with their options and defaults");
  cmd->add_flag("--json", *json, "print the registry as JSON");
  cmd->callback([json]() {
    if (*json) {
      std::cout << components_to_json().dump(2) << '\n';
    } else {
      std::cout << components_to_text();
    }
  });
}

}  // namespace ebmc::cli
