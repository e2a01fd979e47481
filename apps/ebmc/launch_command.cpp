#include <cstdlib>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/distributed/launcher.h"

namespace ebmc::cli {

void add_launch_command(CLI::App& app) {
  auto options = std::make_shared<LaunchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "launch",
      "Run N processes of one job on this machine, as torchrun --nproc-per-node N: "
      "`ebmc launch -n 2 -- ebmc sample ...`; each gets RANK, WORLD_SIZE, MASTER_ADDR and "
      "MASTER_PORT; signals are passed on; when one fails, the others are stopped");
  cmd->add_option("-n,--nproc", options->processes, "number of processes (ranks)")
      ->required()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--master-port", options->master_port,
                  "rank 0's rendezvous port on 127.0.0.1 (default: a free port)")
      ->check(CLI::Range(1, 65535));
  cmd->add_flag("--file-store", options->file_store,
                "meet through a FileStore in a temporary folder instead of TCP");
  cmd->add_option("--timeout", options->timeout_seconds,
                  "seconds a rank waits for the others before giving up (EBMC_DIST_TIMEOUT; "
                  "default 1800)")
      ->check(CLI::Range(1.0, 7 * 24 * 3600.0));
  cmd->add_option("--grace", options->grace_seconds,
                  "seconds between SIGTERM and SIGKILL for the other ranks after a failure")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("command", options->command,
                  "after --: the command each process runs (`ebmc` is this executable)")
      ->required();
  cmd->callback([options] {
    const int code = launch(*options);
    std::cout << std::flush;
    std::cerr << std::flush;
    std::exit(code);
  });
}

}  // namespace ebmc::cli
