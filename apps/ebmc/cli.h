#pragma once
/// @file cli.h
/// The `ebmc` command line as one function, for `main` and for tests that run it in-process.

namespace ebmc::cli {

/// The whole `ebmc` command line: parses `argv`, runs the sub-command and returns the process's
/// exit status (0 success, 1 internal failure, 2 bad input, 128 + signal when interrupted), with
/// every error written to stderr as one line `ebmc: <what> (<where>)`.
int run(int argc, char** argv);

}  // namespace ebmc::cli
