#pragma once
/// @file run_report.h
/// The summary of a sampling run: per-parameter diagnostics plus run-level costs and efficiency.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/efficiency.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/diagnostics/warnings.h"

namespace ebmc {

/// Everything `summary.json` and `summary.txt` report about one run.
struct RunReport {
  std::string target;   ///< target spec as given
  std::string sampler;  ///< sampler spec as given
  int64_t chains = 0;
  uint64_t seed = 0;
  RunOptions options;
  RunResult result;  ///< draws may be left undefined; only the run-level numbers are reported
  std::vector<ParameterSummary> summaries;
  Efficiency efficiency;             ///< over the sampling phase
  std::vector<RunWarning> warnings;  ///< what is not trustworthy (`run_warnings`)
};

/// Builds the report of a finished run: summarizes the draws (or takes `summaries` computed
/// elsewhere, e.g. from a streamed draws file) and computes efficiency over the sampling phase.
RunReport make_run_report(std::string target, std::string sampler, uint64_t seed,
                          const RunOptions& options, const std::vector<std::string>& names,
                          RunResult result,
                          std::optional<std::vector<ParameterSummary>> summaries = std::nullopt);

/// `{"run": {...}, "parameters": {name: {...}}}` with NaN as null.
nlohmann::ordered_json run_report_to_json(const RunReport& report);

/// A few lines of run-level numbers, the parameter table, then the warnings (if any).
std::string format_run_report(const RunReport& report);

}  // namespace ebmc
