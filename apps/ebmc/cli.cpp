// The `ebmc` command line as a function: dispatches to the sub-commands and turns errors into one
// line `ebmc: <what> (<where>)` with exit code 2 for bad input and 1 for internal failures.

#include "cli.h"

#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "ebmc/core/errors.h"

namespace ebmc::cli {

CLI::Validator seed_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const bool digits = !text.empty() && text.size() <= 20 &&
                            text.find_first_not_of("0123456789") == std::string::npos;
        if (digits && (text.size() < 20 || text <= "18446744073709551615")) return "";
        return "seed must be an integer in 0 ... 18446744073709551615, got '" + text + "'";
      },
      "SEED");
}

}  // namespace ebmc::cli

namespace {

/// Levenshtein distance, for suggesting the sub-command a typo meant.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

/// A one-line error for an unknown sub-command, with the closest known one when it is close.
std::string unknown_command(const CLI::App& app, const std::string& given) {
  std::string best;
  size_t best_distance = 3;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const size_t d = edit_distance(given, sub->get_name());
    if (d < best_distance) {
      best_distance = d;
      best = sub->get_name();
    }
  }
  return "unknown command '" + given + "'" + (best.empty() ? "" : "; did you mean '" + best + "'?");
}

}  // namespace

namespace ebmc::cli {

int run(int argc, char** argv) {
  CLI::App app{"ebmc: energy-based Monte Carlo — sample unnormalized densities and diagnose draws",
               "ebmc"};
  app.set_version_flag("--version", std::string("ebmc ") + EBMC_VERSION);
  app.require_subcommand(1);
  app.add_subcommand("help", "Show this help")->callback([&app]() {
    std::cout << app.get_formatter()->make_help(&app, "ebmc", CLI::AppFormatMode::Normal);
  });
  add_sample_command(app);
  add_diagnose_command(app);
  add_report_command(app);
  add_train_sampler_command(app);
  add_train_flow_command(app);
  add_train_ebm_command(app);
  add_stein_command(app);
  add_ais_command(app);
  add_launch_command(app);
  add_bench_command(app);
  add_list_command(app);
  if (argc > 1 && argv[1][0] != '-' &&
      app.get_subcommands([&](const CLI::App* sub) { return sub->get_name() == argv[1]; })
          .empty()) {
    std::cerr << "ebmc: " << unknown_command(app, argv[1]) << " (command line; see ebmc help)\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ebmc: " << e.what() << " (command line; see ebmc --help)\n";
    return 2;
  } catch (const RunFailed& e) {
    std::cerr << "ebmc: " << e.what() << " (" << e.where() << ")\n";
    return 1;
  } catch (const Interrupted& e) {
    std::cerr << "ebmc: " << e.what() << " (" << (e.signal() == SIGTERM ? "SIGTERM" : "SIGINT")
              << ")\n";
    return 128 + e.signal();
  } catch (const InputError& e) {
    std::cerr << "ebmc: " << e.what() << " (" << e.where() << ")\n";
    return 2;
  } catch (const c10::Error& e) {
    std::cerr << "ebmc: internal error: " << e.what_without_backtrace() << " (libtorch)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ebmc: internal error: " << e.what() << " (ebmc)\n";
    return 1;
  }
  return 0;
}

}  // namespace ebmc::cli
