#pragma once
/// @file errors.h
/// Error types that the command-line tool maps to exit codes (DESIGN.md, "Errors").

#include <stdexcept>
#include <string>

namespace ebmc {

/// Bad input from the user: a malformed file, a wrong shape, an invalid option.
/// `where` names the place (a file and line, an option name) and is printed in parentheses:
/// `ebmc: <what> (<where>)`, exit code 2.
///
///     throw InputError("non-numeric field 'abc'", "draws.csv:12");
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& what, std::string where)
      : std::runtime_error(what), where_(std::move(where)) {}
  /// The place the problem was found, e.g. `draws.csv:12` or `--thin`.
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

/// A run that completed but whose result is unusable (e.g. a learned kernel whose training
/// collapsed): the command line prints `ebmc: <what> (<where>)` and exits with code 1.
class RunFailed : public std::runtime_error {
 public:
  RunFailed(const std::string& what, std::string where)
      : std::runtime_error(what), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

/// A run stopped by SIGINT/SIGTERM after keeping what it had: the command line maps it to exit
/// code 128 + signal (130, 143) with its message.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(const std::string& what, int signal) : std::runtime_error(what), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

}  // namespace ebmc
