#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/io/summary_report.h"

namespace ebmc::cli {

namespace {

struct DiagnoseArgs {
  std::vector<std::string> files;
  bool matrix = false;
  bool json = false;
  bool sampler_stats = false;
};

void run_diagnose(const DiagnoseArgs& args) {
  std::vector<ParameterSummary> summaries;
  if (args.matrix) {
    if (args.files.size() != 1) throw InputError("--matrix reads one file", "ebmc diagnose");
    summaries.push_back(summarize("x", read_matrix_draws(args.files[0])));
  } else {
    // As stansummary: columns whose names end in `__` are sampler statistics, summarized only
    // with --sampler-stats (and then alone).
    std::vector<std::string> notes;
    LongDraws draws = read_draws(args.files, notes);
    for (const std::string& note : notes) std::cerr << "ebmc: note: " << note << '\n';
    std::vector<std::string> names;
    std::vector<ChainMatrix> columns;
    for (size_t k = 0; k < draws.names.size(); ++k) {
      if (is_sampler_statistic(draws.names[k]) != args.sampler_stats) continue;
      names.push_back(draws.names[k]);
      columns.push_back(draws.parameters[k]);
    }
    summaries = summarize_all(names, columns);
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
  cmd->add_option("file", args->files,
                  "draws in long format 'chain,iter,<names...>' (header row) or CmdStan CSV; "
                  "several files are merged as chains of one run; - reads stdin. With --matrix "
                  "one iterations x chains matrix of one quantity (no header)")
      ->required();
  cmd->add_flag("--matrix", args->matrix, "FILE is an iterations x chains matrix, no header");
  cmd->add_flag("--sampler-stats", args->sampler_stats,
                "summarize the sampler statistics (columns ending in __) instead of parameters");
  cmd->add_flag("--json", args->json, "print JSON keyed by parameter name instead of a table");
  cmd->callback([args]() { run_diagnose(*args); });
}

}  // namespace ebmc::cli
