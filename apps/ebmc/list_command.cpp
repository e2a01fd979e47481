#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/registry.h"

namespace ebmc::cli {

void add_list_command(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  auto markdown = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "list", "List the registered targets and samplers with their options and defaults");
  cmd->add_flag("--json", *json, "print the registry as JSON");
  cmd->add_flag("--markdown", *markdown, "print one Markdown table per kind (the README's)");
  cmd->callback([json, markdown]() {
    if (*json) {
      std::cout << components_to_json().dump(2) << '\n';
    } else if (*markdown) {
      for (ComponentKind kind : all_component_kinds()) {
        std::cout << "<!-- registry:" << kind_key(kind) << " -->\n"
                  << components_to_markdown(kind) << "<!-- /registry -->\n\n";
      }
    } else {
      std::cout << components_to_text();
    }
  });
}

}  // namespace ebmc::cli
