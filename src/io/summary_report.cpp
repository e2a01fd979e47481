#include "ebmc/io/summary_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace ebmc {

namespace {

struct Column {
  const char* header;
  const char* format;
  double ParameterSummary::*field;
};

constexpr Column kColumns[] = {
    {"mean", "%.4g", &ParameterSummary::mean},
    {"sd", "%.4g", &ParameterSummary::sd},
    {"mcse_mean", "%.2g", &ParameterSummary::mcse_mean},
    {"q5", "%.4g", &ParameterSummary::q5},
    {"q50", "%.4g", &ParameterSummary::q50},
    {"q95", "%.4g", &ParameterSummary::q95},
    {"ess_bulk", "%.0f", &ParameterSummary::ess_bulk},
    {"ess_tail", "%.0f", &ParameterSummary::ess_tail},
    {"rhat", "%.3f", &ParameterSummary::rhat},
};

}  // namespace

namespace {

constexpr size_t kCellWidth = 10;

/// `value` in `format`, or with fewer significant digits when that does not fit the column
/// (an R-hat of 1e14, a mean of -1e300): the table's columns never shift.
std::string cell_text(double value, const char* format) {
  std::string text = format_number(value, format);
  for (const char* shorter : {"%.4g", "%.3g", "%.2g", "%.1g"}) {
    if (text.size() <= kCellWidth) break;
    text = format_number(value, shorter);
  }
  return text;
}

/// `text` padded on the `left` (right-aligned) or the right to `width`.
std::string pad(const std::string& text, size_t width, bool left) {
  const std::string fill(text.size() < width ? width - text.size() : 0, ' ');
  return left ? fill + text : text + fill;
}

}  // namespace

std::string format_summary_table(const std::vector<ParameterSummary>& summaries) {
  size_t name_width = std::string("parameter").size();
  for (const ParameterSummary& s : summaries) name_width = std::max(name_width, s.name.size());
  std::ostringstream out;
  out << pad("parameter", name_width, false);
  for (const Column& column : kColumns) out << ' ' << pad(column.header, kCellWidth, true);
  out << '\n';
  for (const ParameterSummary& s : summaries) {
    out << pad(s.name, name_width, false);
    for (const Column& column : kColumns) {
      out << ' ' << pad(cell_text(s.*(column.field), column.format), kCellWidth, true);
    }
    out << '\n';
  }
  bool header_written = false;
  for (const ParameterSummary& s : summaries) {
    if (s.note.empty()) continue;
    if (!header_written) out << "\nNA means undefined:\n";
    header_written = true;
    out << "  " << s.name << ": " << s.note << '\n';
  }
  return out.str();
}

std::string format_number(double value, const char* format) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NA" : (value > 0 ? "Inf" : "-Inf");
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

nlohmann::json json_number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

nlohmann::json summary_to_json(const ParameterSummary& s) {
  nlohmann::json j = {
      {"mean", json_number(s.mean)},
      {"sd", json_number(s.sd)},
      {"q5", json_number(s.q5)},
      {"q50", json_number(s.q50)},
      {"q95", json_number(s.q95)},
      {"rhat", json_number(s.rhat)},
      {"rhat_basic", json_number(s.rhat_basic)},
      {"ess_bulk", json_number(s.ess_bulk)},
      {"ess_tail", json_number(s.ess_tail)},
      {"ess_basic", json_number(s.ess_basic)},
      {"ess_mean", json_number(s.ess_mean)},
      {"mcse_mean", json_number(s.mcse_mean)},
      {"mcse_sd", json_number(s.mcse_sd)},
  };
  if (!s.note.empty()) j["note"] = s.note;
  return j;
}

nlohmann::ordered_json summaries_to_json(const std::vector<ParameterSummary>& summaries) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const ParameterSummary& s : summaries) j[s.name] = summary_to_json(s);
  return j;
}

}  // namespace ebmc
