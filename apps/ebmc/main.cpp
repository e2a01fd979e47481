// The `ebmc` command-line tool: dispatches to the sub-commands and turns errors into one line
// `ebmc: <what> (<where>)` with exit code 2 for bad input and 1 for internal failures.

#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"
#include "ebmc/core/errors.h"

int main(int argc, char** argv) {
  CLI::App app{"ebmc: energy-based Monte Carlo — sample unnormalized densities and diagnose draws",
               "ebmc"};
  app.require_subcommand(1);
  ebmc::cli::add_sample_command(app);
  ebmc::cli::add_diagnose_command(app);
  ebmc::cli::add_train_sampler_command(app);
  ebmc::cli::add_bench_command(app);
  ebmc::cli::add_list_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ebmc: " << e.what() << " (command line; see ebmc --help)\n";
    return 2;
  } catch (const ebmc::InputError& e) {
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
