#pragma once
/// @file progress.h
/// A progress bar on stderr for long runs.

#include <iosfwd>

#include "ebmc/core/cost.h"
#include "ebmc/core/runner.h"

namespace ebmc {

/// Reports progress of a run: on a terminal a bar redrawn in place, otherwise one line at every
/// tenth of the run (so logs stay short).
///
///     ebmc::ProgressReporter progress(std::cerr, ebmc::stderr_is_terminal());
///     ebmc::run_chains(kernel, target, x0, rng, options, {&progress});
class ProgressReporter : public RunCallback {
 public:
  /// Writes to `out`; `redraw` selects the in-place bar (for terminals).
  ProgressReporter(std::ostream& out, bool redraw);

  void on_start(const RunOptions& options, const State& initial) override;
  void on_transition(Phase phase, int64_t iteration, const State& state, const Info& info) override;
  void on_finish(const RunResult& result) override;

 private:
  void report(Phase phase, int64_t done_in_phase, bool final_line);

  std::ostream& out_;
  bool redraw_;
  int64_t warmup_ = 0;
  int64_t sampling_ = 0;
  int64_t last_tenth_ = -1;
  double accept_sum_ = 0.0;
  int64_t accept_count_ = 0;
  Stopwatch clock_;
};

/// True when standard error is a terminal (the default for `--progress`).
bool stderr_is_terminal();

}  // namespace ebmc
