#pragma once
/// @file launcher.h
/// `ebmc launch`: starts the processes of a job on this machine the way `torchrun
/// --nproc-per-node N` does (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR,
/// MASTER_PORT in each one's environment), forwards SIGINT/SIGTERM/SIGHUP to them, and fails
/// fast: when one exits with an error, the others are stopped.
#include <string>
#include <vector>

namespace ebmc {

/// What `launch` starts.
struct LaunchOptions {
  int processes = 1;                 ///< N: ranks 0 … N − 1
  std::vector<std::string> command;  ///< program and arguments; `ebmc` runs this executable
  int master_port = 0;               ///< rank 0's TCPStore port on 127.0.0.1; 0: a free one
  bool file_store = false;     ///< rendezvous through a FileStore in a temporary folder instead
  double timeout_seconds = 0;  ///< EBMC_DIST_TIMEOUT for the ranks; 0: theirs (default 1800 s)
  double grace_seconds = 10;   ///< after a failure, SIGTERM, then SIGKILL after this long
};

/// Runs the job and returns its exit code: 0 when every rank exited with 0, otherwise the first
/// failed rank's code (128 + signal for a rank killed by a signal), reported on stderr as
/// `ebmc: rank R exited with code C; stopping the other ranks (launch)`. A signal the launcher
/// receives is passed on to every rank. Throws InputError for an empty command or N < 1.
int launch(const LaunchOptions& options);

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_local_port();

/// The path of the running executable (what `ebmc` in a launched command stands for).
std::string this_executable();

}  // namespace ebmc
