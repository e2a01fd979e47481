#include <iostream>

#include "commands.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/targets/registry.h"

namespace ebmc::cli {

void add_list_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("list", "List the available targets and samplers");
  cmd->callback([]() {
    std::cout << "targets:\n";
    for (const std::string& line : target_catalogue()) std::cout << "  " << line << '\n';
    std::cout << "samplers:\n";
    for (const std::string& line : sampler_catalogue()) std::cout << "  " << line << '\n';
    std::cout << "discrete targets:\n";
    for (const std::string& line : discrete_target_catalogue()) std::cout << "  " << line << '\n';
    std::cout << "discrete samplers:\n";
    for (const std::string& line : discrete_sampler_catalogue()) {
      std::cout << "  " << line << '\n';
    }
  });
}

}  // namespace ebmc::cli
