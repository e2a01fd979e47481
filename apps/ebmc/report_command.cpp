#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/report/html_report.h"

namespace ebmc::cli {

void add_report_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write an HTML report with plots (gnuplot): DIR/report.html for a sampling run's folder, "
      "MODEL.training.html for a training log MODEL.training.csv");
  cmd->add_option("path", *path, "output folder of `ebmc sample`, or a training log")->required();
  cmd->add_option("--params", options->parameters,
                  "trace, rank, autocorrelation and density plots for the first K parameters")
      ->capture_default_str();
  cmd->add_option("--pair", options->pair, "the pair plot's two parameters, 'a,b'");
  cmd->add_option("--max-chains", options->max_chains, "chains drawn in trace and rank plots")
      ->capture_default_str();
  cmd->callback([path, options]() {
    if (options->max_chains < 1) throw InputError("must be >= 1", "--max-chains");
    std::error_code error;
    if (std::filesystem::is_directory(*path, error)) {
      std::cout << write_run_report(*path, *options) << '\n';
    } else if (std::filesystem::is_regular_file(*path, error)) {
      std::cout << write_training_report(*path) << '\n';
    } else {
      throw InputError("no such folder or training log", *path);
    }
  });
}

}  // namespace ebmc::cli
