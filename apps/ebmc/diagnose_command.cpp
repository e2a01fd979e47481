#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/io/summary_report.h"

namespace ebmc::cli {

namespace {

struct DiagnoseArgs {
  std::string file;
  bool matrix = false;
  bool json = false;
};

void run_diagnose(const DiagnoseArgs& args) {
  std::vector<ParameterSummary> summaries;
  if (args.matrix) {
    summaries.push_back(summarize("x", read_matrix_draws(args.file)));
  } else {
    LongDraws draws = read_long_draws(args.file);
    summaries = summarize_all(draws.names, draws.parameters);
  }
  if (args.json) {
    std::cout << summaries_to_json(summaries).dump(2) << '\n';
  } else {
    std::cout << format_summary_table(summaries);
  }
}

}  // namespace

void add_diagnose_command(CLI::App& app) {
  auto args = std::make_shared<DiagnoseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diagnose", "Convergence diagnostics (R-hat, bulk/tail ESS, MCSE) of draws in a CSV file");
  cmd->add_option("file", args->file,
                  "draws in long format 'chain,iter,<names...>' (header row), or with --matrix an "
                  "iterations x chains matrix of one quantity (no header)")
      ->required();
  cmd->add_flag("--matrix", args->matrix, "FILE is an iterations x chains matrix, no header");
  cmd->add_flag("--json", args->json, "print JSON keyed by parameter name instead of a table");
  cmd->callback([args]() { run_diagnose(*args); });
}

}  // namespace ebmc::cli
