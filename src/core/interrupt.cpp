#include "ebmc/core/interrupt.h"

#include <atomic>
#include <csignal>

namespace ebmc {

namespace {

std::atomic<int> received_signal{0};

extern "C" void on_interrupt_signal(int signal) {
  received_signal.store(signal);
  // The next signal of this kind ends the process the usual way.
  std::signal(signal, SIG_DFL);
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_interrupt_signal);
  std::signal(SIGTERM, on_interrupt_signal);
}

bool interrupt_requested() { return received_signal.load() != 0; }

int interrupt_signal() { return received_signal.load(); }

void clear_interrupt() { received_signal.store(0); }

void request_interrupt(int signal) { received_signal.store(signal); }

}  // namespace ebmc
