#include "ebmc/core/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <ostream>

namespace ebmc {

bool stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

ProgressReporter::ProgressReporter(std::ostream& out, bool redraw) : out_(out), redraw_(redraw) {}

void ProgressReporter::on_start(const RunOptions& options, const State& /*initial*/) {
  warmup_ = options.warmup();
  sampling_ = options.draws() * options.thin();
  last_tenth_ = -1;
  clock_ = Stopwatch();
}

void ProgressReporter::on_transition(Phase phase, int64_t iteration, const State& /*state*/,
                                     const Info& info) {
  if (iteration == 0) {  // each phase reports its own acceptance rate
    accept_sum_ = 0.0;
    accept_count_ = 0;
  }
  accept_sum_ += info.accept_prob.mean().item<double>();
  ++accept_count_;
  report(phase, iteration + 1, false);
}

void ProgressReporter::on_finish(const RunResult& /*result*/) {
  report(Phase::kSampling, sampling_, true);
}

void ProgressReporter::report(Phase phase, int64_t done_in_phase, bool final_line) {
  const int64_t total = warmup_ + sampling_;
  const int64_t done = (phase == Phase::kWarmup ? 0 : warmup_) + done_in_phase;
  const int64_t tenth = total > 0 ? (10 * done) / total : 10;
  if (!final_line) {
    if (redraw_) {
      // Redraw at most ~200 times per run.
      const int64_t stride = std::max<int64_t>(1, total / 200);
      if (done % stride != 0) return;
    } else if (tenth == last_tenth_) {
      return;
    }
  }
  last_tenth_ = tenth;
  const double seconds = clock_.seconds();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const int width = 30;
  const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
  std::ostringstream line;
  line << (phase == Phase::kWarmup ? "warmup   " : "sampling ") << '['
       << std::string(static_cast<size_t>(filled), '=')
       << std::string(static_cast<size_t>(width - filled), ' ') << "] " << std::setw(3)
       << (total > 0 ? 100 * done / total : 100) << "% " << done << '/' << total << std::fixed
       << std::setprecision(3) << "  accept "
       << (accept_count_ > 0 ? accept_sum_ / static_cast<double>(accept_count_) : 0.0)
       << std::setprecision(1) << "  " << rate << " it/s";
  if (redraw_) {
    out_ << '\r' << line.str() << (final_line ? "\n" : "") << std::flush;
  } else {
    out_ << line.str() << '\n' << std::flush;
  }
}

}  // namespace ebmc
