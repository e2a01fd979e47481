#pragma once
/// @file summary_report.h
/// Parameter summaries as a stansummary-like table and as JSON.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/diagnostics/summary.h"

namespace ebmc {

/// A fixed-width table: one row per parameter with mean, sd, mcse_mean, q5, q50, q95, ess_bulk,
/// ess_tail and rhat; undefined values print as `NA`, and a note under the table says why.
///
///     std::cout << ebmc::format_summary_table(summaries);
std::string format_summary_table(const std::vector<ParameterSummary>& summaries);

/// One JSON object per parameter with fields mean, sd, q5, q50, q95, rhat, rhat_basic, ess_bulk,
/// ess_tail, ess_basic, ess_mean, mcse_mean, mcse_sd (NaN as null) and, when set, note.
nlohmann::json summary_to_json(const ParameterSummary& summary);

/// An object keyed by parameter name in the order of `summaries` (x.1, x.2, …, x.10, not
/// sorted), each value as `summary_to_json`.
nlohmann::ordered_json summaries_to_json(const std::vector<ParameterSummary>& summaries);

/// `value` printed with the printf `format`, or `NA` / `Inf` / `-Inf` when not finite.
std::string format_number(double value, const char* format);

/// A number for JSON: null when NaN or infinite.
nlohmann::json json_number(double value);

}  // namespace ebmc
