#include "ebmc/distributed/launcher.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "ebmc/core/errors.h"
#include "ebmc/io/scratch_dir.h"

namespace ebmc {

namespace {

volatile std::sig_atomic_t signal_to_forward = 0;

void remember_signal_to_forward(int signal) { signal_to_forward = signal; }

/// In the child: the rank's environment, then the command (never returns).
[[noreturn]] void exec_rank(const LaunchOptions& options, int rank, int port,
                            const std::string& store) {
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // a launcher that dies takes its ranks with it
  ::setpgid(0, 0);                     // the launcher forwards the terminal's signals, once
  ::setenv("RANK", std::to_string(rank).c_str(), 1);
  ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
  ::setenv("WORLD_SIZE", std::to_string(options.processes).c_str(), 1);
  ::setenv("LOCAL_WORLD_SIZE", std::to_string(options.processes).c_str(), 1);
  ::setenv("MASTER_ADDR", "127.0.0.1", 1);
  ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
  if (!store.empty()) ::setenv("EBMC_FILE_STORE", store.c_str(), 1);
  if (options.timeout_seconds > 0) {
    ::setenv("EBMC_DIST_TIMEOUT",
             std::to_string(static_cast<long long>(options.timeout_seconds)).c_str(), 1);
  }
  ::setenv("OMP_NUM_THREADS", "1", 0);  // as torchrun: one thread per process unless set
  std::vector<std::string> command = options.command;
  if (command[0] == "ebmc") command[0] = this_executable();
  std::vector<char*> argv;
  for (std::string& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::cerr << "ebmc: cannot run '" << command[0] << "': " << std::strerror(errno) << " (launch)\n";
  ::_exit(127);
}

/// An exit status as a shell reports it: the code, or 128 + the signal.
int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

std::string this_executable() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? "ebmc" : self.string();
}

int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw RunFailed("cannot open a socket", "launch");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw RunFailed("cannot find a free port on 127.0.0.1", "launch");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

int launch(const LaunchOptions& options) {
  if (options.processes < 1) throw InputError("must be >= 1", "-n");
  if (options.command.empty()) throw InputError("no command to launch after --", "launch");
  const int port = options.master_port > 0 ? options.master_port : free_local_port();
  std::optional<ScratchDir> store_dir;  // the FileStore's folder, removed at the end
  if (options.file_store) store_dir.emplace("ebmc-launch", "launch");
  const std::string store = store_dir ? store_dir->file("store") : "";
  signal_to_forward = 0;
  for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, remember_signal_to_forward);

  std::vector<pid_t> ranks(options.processes, -1);
  std::vector<bool> running(options.processes, false);
  for (int r = 0; r < options.processes; ++r) {
    const pid_t pid = ::fork();
    if (pid < 0) throw RunFailed("cannot start rank " + std::to_string(r), "launch");
    if (pid == 0) exec_rank(options, r, port, store);
    ranks[r] = pid;
    running[r] = true;
  }
  auto signal_running = [&](int signal) {
    for (int r = 0; r < options.processes; ++r) {
      if (running[r]) ::kill(ranks[r], signal);
    }
  };
  int result = 0, live = options.processes, forwarded = 0;
  std::chrono::steady_clock::time_point stopping_since{};
  bool stopping = false, killed = false;
  while (live > 0) {
    if (signal_to_forward != 0 && signal_to_forward != forwarded) {
      forwarded = signal_to_forward;
      signal_running(forwarded);
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      for (int r = 0; r < options.processes; ++r) {
        if (ranks[r] != pid || !running[r]) continue;
        running[r] = false;
        --live;
        const int code = exit_code(status);
        if (code != 0 && result == 0) {
          result = code;
          if (live > 0 && forwarded == 0) {
            std::cerr << "ebmc: rank " << r << " exited with code " << code
                      << "; stopping the other ranks (launch)\n";
            signal_running(SIGTERM);
            stopping = true;
            stopping_since = std::chrono::steady_clock::now();
          }
        }
      }
      continue;
    }
    if (pid < 0 && errno != EINTR) break;
    if (stopping && !killed &&
        std::chrono::steady_clock::now() - stopping_since >
            std::chrono::duration<double>(options.grace_seconds)) {
      signal_running(SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, SIG_DFL);
  if (result == 0 && forwarded != 0) result = 128 + forwarded;
  return result;
}

}  // namespace ebmc
