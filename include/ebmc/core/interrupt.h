#pragma once
/// @file interrupt.h
/// Graceful interruption: SIGINT/SIGTERM set a flag that long loops (the run recipe, trainers)
/// check between steps, so an interrupted run finishes its current transition, keeps what it
/// has and reports itself as interrupted.

namespace ebmc {

/// Installs the SIGINT and SIGTERM handlers (idempotent). A second signal of the same kind
/// terminates at once, as usual.
void install_interrupt_handlers();

/// True once SIGINT or SIGTERM arrived after `install_interrupt_handlers`.
bool interrupt_requested();

/// The signal that arrived (SIGINT or SIGTERM), 0 if none.
int interrupt_signal();

/// Forgets an earlier request (tests).
void clear_interrupt();

/// Raises the flag as a signal would (tests and embedding programs).
void request_interrupt(int signal);

}  // namespace ebmc
