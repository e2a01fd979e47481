#include "ebmc/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/diagnostics/autocovariance.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/diagnostics/warnings.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/csv_reader.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/io/summary_report.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_parts.h"

namespace ebmc {

namespace {

/// Every `stride`-th index of `n`, so that at most `limit` points are drawn.
int64_t stride_for(int64_t n, int64_t limit) {
  return std::max<int64_t>(1, (n + limit - 1) / limit);
}

GnuplotFigure trace_figure(const std::string& name, const ChainMatrix& m, int64_t chains) {
  std::string rows;
  const int64_t step = stride_for(m.iterations(), 1000);
  for (int64_t i = 0; i < m.iterations(); i += step) {
    rows += std::to_string(i + 1);
    for (int64_t c = 0; c < chains; ++c) rows += " " + number(m(i, c));
    rows += "\n";
  }
  return {name + ": trace by chain",
          {{"trace", rows}},
          "set title " + quoted(name + " — trace") +
              "\nset xlabel 'iteration'\nset key outside right top\n"
              "plot for [c=2:" +
              std::to_string(chains + 1) +
              "] $trace using 1:c with lines lw 1 title sprintf('chain %d', c-1)"};
}

/// Rank plot (Vehtari et al. 2021): ranks over all chains, one histogram per chain, which for
/// mixed chains are all flat around draws/bins.
GnuplotFigure rank_figure(const std::string& name, const ChainMatrix& m, int64_t chains) {
  const std::vector<double>& v = m.values();
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&v](size_t a, size_t b) { return v[a] < v[b]; });
  constexpr int64_t kBins = 20;
  std::vector<std::vector<int64_t>> counts(kBins, std::vector<int64_t>(chains, 0));
  for (size_t r = 0; r < order.size(); ++r) {
    const int64_t chain = static_cast<int64_t>(order[r]) / m.iterations();
    if (chain >= chains) continue;
    const int64_t bin = std::min<int64_t>(
        kBins - 1, static_cast<int64_t>(r) * kBins / static_cast<int64_t>(order.size()));
    ++counts[bin][chain];
  }
  std::string rows;
  for (int64_t b = 0; b <= kBins; ++b) {  // the last row repeats the last bin for `steps`
    const int64_t bin = std::min<int64_t>(b, kBins - 1);
    rows += std::to_string(b);
    for (int64_t c = 0; c < chains; ++c) rows += " " + std::to_string(counts[bin][c]);
    rows += "\n";
  }
  const double expected = static_cast<double>(m.iterations()) / kBins;
  return {
      name + ": rank plot",
      {{"ranks", rows}},
      "set title " + quoted(name + " — rank histogram per chain (flat when mixed)") +
          "\nset xlabel 'rank bin (of all draws)'\nset yrange [0:*]\nset key outside right top\n"
          "plot for [c=2:" +
          std::to_string(chains + 1) +
          "] $ranks using 1:c with steps lw 1.5 title sprintf('chain %d', c-1), " +
          number(expected) + " with lines dt 2 lc rgb 'black' title 'uniform'"};
}

GnuplotFigure autocorrelation_figure(const std::string& name, const ChainMatrix& m) {
  const ChainMatrix acov = autocovariance(m);
  const int64_t lags = std::min<int64_t>(40, m.iterations() - 1);
  std::string rows;
  for (int64_t t = 0; t <= lags; ++t) {
    double sum = 0;
    int64_t used = 0;
    for (int64_t c = 0; c < m.chains(); ++c) {
      if (acov(0, c) > 0) {
        sum += acov(t, c) / acov(0, c);
        ++used;
      }
    }
    rows += std::to_string(t) + " " + number(used > 0 ? sum / static_cast<double>(used) : 0) + "\n";
  }
  return {
      name + ": autocorrelation",
      {{"acf", rows}},
      "set title " + quoted(name + " — autocorrelation (mean over chains)") +
          "\nset xlabel 'lag'\nset yrange [-0.2:1.05]\nunset key\n"
          "plot $acf using 1:2 with impulses lw 3 lc rgb '#4477aa', 0 with lines lc rgb 'black'"};
}

GnuplotFigure density_figure(const std::string& name, const ChainMatrix& m) {
  const std::vector<double>& v = m.values();
  const int64_t step = stride_for(static_cast<int64_t>(v.size()), 20000);
  std::string rows;
  int64_t n = 0;
  for (size_t i = 0; i < v.size(); i += static_cast<size_t>(step)) {
    if (!std::isfinite(v[i])) continue;
    rows += number(v[i]) + "\n";
    ++n;
  }
  return {name + ": marginal density",
          {{"values", rows}},
          "set title " + quoted(name + " — marginal density (all chains)") +
              "\nunset key\nset yrange [0:*]\n"
              "plot $values using 1:(1.0/" +
              std::to_string(std::max<int64_t>(n, 1)) +
              ") smooth kdensity with lines lw 2 lc rgb '#4477aa'"};
}

GnuplotFigure pair_figure(const std::string& a, const ChainMatrix& x, const std::string& b,
                          const ChainMatrix& y, const ChainMatrix* divergent) {
  std::string normal, diverged;
  int64_t count = 0;
  const int64_t step = stride_for(static_cast<int64_t>(x.size()), 5000);
  for (int64_t i = 0; i < x.size(); ++i) {
    const bool is_divergent = divergent != nullptr && divergent->values()[i] > 0.5;
    if (is_divergent) ++count;
    if (!is_divergent && i % step != 0) continue;
    (is_divergent ? diverged : normal) +=
        number(x.values()[i]) + " " + number(y.values()[i]) + "\n";
  }
  if (diverged.empty()) diverged = "NaN NaN\n";
  return {
      "pair plot " + a + " / " + b,
      {{"normal", normal}, {"divergent", diverged}},
      "set title " +
          quoted(a + " vs " + b + " — " + std::to_string(count) + " divergent transitions in red") +
          "\nset xlabel " + quoted(a) + "\nset ylabel " + quoted(b) +
          "\nset key outside right top\n"
          "plot $normal using 1:2 with points pt 7 ps 0.25 lc rgb '#4477aa' title 'draws', "
          "$divergent using 1:2 with points pt 7 ps 0.6 lc rgb 'red' title 'divergent'"};
}

/// Energy plot (Betancourt 2016): the marginal energy distribution (centred) against the
/// distribution of energy transitions; E-BFMI is their variance ratio.
GnuplotFigure energy_figure(const ChainMatrix& energy) {
  const torch::Tensor e = torch::from_blob(const_cast<double*>(energy.values().data()),
                                           {energy.chains(), energy.iterations()}, torch::kFloat64)
                              .t()
                              .contiguous();
  const std::vector<double> bfmi = ebfmi(e);
  std::vector<double> centred, transitions;
  for (int64_t c = 0; c < energy.chains(); ++c) {
    const double* chain = energy.chain_data(c);
    double mean = 0;
    for (int64_t i = 0; i < energy.iterations(); ++i) mean += chain[i];
    mean /= static_cast<double>(energy.iterations());
    for (int64_t i = 0; i < energy.iterations(); ++i) {
      centred.push_back(chain[i] - mean);
      if (i > 0) transitions.push_back(chain[i] - chain[i - 1]);
    }
  }
  double low = 0, high = 0;
  for (double v : centred) low = std::min(low, v), high = std::max(high, v);
  for (double v : transitions) low = std::min(low, v), high = std::max(high, v);
  constexpr int kBins = 40;
  const double width = (high - low) / kBins + 1e-300;
  std::vector<double> a(kBins, 0), b(kBins, 0);
  for (double v : centred) a[std::min(kBins - 1, static_cast<int>((v - low) / width))] += 1;
  for (double v : transitions) b[std::min(kBins - 1, static_cast<int>((v - low) / width))] += 1;
  std::string rows;
  for (int k = 0; k < kBins; ++k) {
    rows += number(low + (k + 0.5) * width) + " " +
            number(a[k] / (static_cast<double>(centred.size()) * width)) + " " +
            number(b[k] / (static_cast<double>(std::max<size_t>(transitions.size(), 1)) * width)) +
            "\n";
  }
  std::string per_chain;
  for (size_t c = 0; c < bfmi.size() && c < 8; ++c) {
    per_chain += (c ? ", " : "") + format_number(bfmi[c], "%.2f");
  }
  return {"energy",
          {{"energy", rows}},
          "set title " + quoted("energy — E-BFMI per chain: " + per_chain + " (warn below 0.3)") +
              "\nset style fill transparent solid 0.4 noborder\nset key outside right top\n"
              "set xlabel 'energy (centred) / energy transition'\n"
              "plot $energy using 1:2 with boxes lc rgb '#4477aa' title 'marginal energy', "
              "$energy using 1:3 with boxes lc rgb '#ee6677' title 'energy transition'"};
}

std::string summary_table_html(const std::vector<ParameterSummary>& summaries) {
  std::string html =
      "<table><tr><th>parameter</th><th>mean</th><th>sd</th><th>mcse_mean</th><th>q5</th>"
      "<th>q50</th><th>q95</th><th>ess_bulk</th><th>ess_tail</th><th>rhat</th></tr>\n";
  for (const ParameterSummary& s : summaries) {
    const bool bad_rhat = s.rhat > 1.01;
    html += "<tr><td>" + escape_html(s.name) + "</td>";
    for (double v : {s.mean, s.sd, s.mcse_mean, s.q5, s.q50, s.q95}) {
      html += "<td>" + format_number(v, "%.4g") + "</td>";
    }
    html += "<td>" + format_number(s.ess_bulk, "%.0f") + "</td><td>" +
            format_number(s.ess_tail, "%.0f") + "</td><td" + (bad_rhat ? " class=bad" : "") + ">" +
            format_number(s.rhat, "%.3f") + "</td></tr>\n";
  }
  return html + "</table>\n";
}

}  // namespace

std::string write_run_report(const std::string& dir, const ReportOptions& options) {
  if (options.parameters < 0) throw InputError("must be >= 0", "--params");
  std::string draws_path = dir + "/draws.csv";
  std::vector<std::string> notes;
  if (!std::filesystem::exists(draws_path) && std::filesystem::exists(draws_path + ".partial")) {
    draws_path += ".partial";
  }
  if (!std::filesystem::exists(draws_path)) {
    throw InputError("no draws.csv in this folder (run `ebmc sample --out DIR` first)", dir);
  }
  require_gnuplot("ebmc report");
  const LongDraws draws = read_draws({draws_path}, notes);
  std::vector<std::string> names;
  std::vector<ChainMatrix> matrices;
  const ChainMatrix* divergent = nullptr;
  const ChainMatrix* energy = nullptr;
  for (size_t j = 0; j < draws.names.size(); ++j) {
    if (draws.names[j] == "divergent__") divergent = &draws.parameters[j];
    if (draws.names[j] == "energy__") energy = &draws.parameters[j];
    if (is_sampler_statistic(draws.names[j])) continue;
    names.push_back(draws.names[j]);
    matrices.push_back(draws.parameters[j]);
  }
  if (names.empty()) throw InputError("the draws have no parameter columns", draws_path);
  const std::vector<ParameterSummary> summaries = summarize_all(names, matrices);

  nlohmann::ordered_json summary;
  const std::string summary_path = dir + "/summary.json";
  if (std::filesystem::exists(summary_path)) {
    std::ifstream in(summary_path);
    summary = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (summary.is_discarded()) notes.push_back(summary_path + " is not valid JSON; ignored");
  }
  int64_t pair_a = 0, pair_b = names.size() > 1 ? 1 : 0;
  if (!options.pair.empty()) {
    const size_t comma = options.pair.find(',');
    const auto index_of = [&](const std::string& name) {
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) throw InputError("no parameter '" + name + "' in the draws", "--pair");
      return static_cast<int64_t>(it - names.begin());
    };
    if (comma == std::string::npos) throw InputError("expected two names, 'a,b'", "--pair");
    pair_a = index_of(options.pair.substr(0, comma));
    pair_b = index_of(options.pair.substr(comma + 1));
  }

  std::string body = "<h1>ebmc report</h1>\n<p class=run>" + escape_html(draws_path) + "</p>\n";
  if (summary.is_object() && summary.contains("run")) {
    const auto& run = summary["run"];
    body += "<p class=run>target <b>" + escape_html(run.value("target", "")) + "</b>, sampler <b>" +
            escape_html(run.value("sampler", "")) + "</b>, " +
            std::to_string(run.value("chains", 0)) + " chains, seed " +
            std::to_string(run.value("seed", 0ull)) + "; warmup " +
            std::to_string(run.value("warmup", 0)) + ", draws " +
            std::to_string(run.value("draws", 0)) +
            (run.value("interrupted", false) ? " (interrupted)" : "") + "</p>\n";
  }
  body += "<h2>Warnings</h2>\n";
  if (summary.is_object() && summary.contains("warnings") && !summary["warnings"].empty()) {
    body += "<ul class=warn>\n";
    for (const auto& w : summary["warnings"]) {
      body += "<li>" + escape_html(w.value("message", "")) + "</li>\n";
    }
    body += "</ul>\n";
  } else {
    body += "<p>None" + std::string(summary.is_object() ? "" : " recorded (no summary.json)") +
            ".</p>\n";
  }
  for (const std::string& note : notes)
    body += "<p class=run>note: " + escape_html(note) + "</p>\n";
  body += "<h2>Summary</h2>\n" + summary_table_html(summaries);

  const int64_t shown_chains = std::min<int64_t>(options.max_chains, matrices[0].chains());
  const int64_t shown = std::min<int64_t>(options.parameters, static_cast<int64_t>(names.size()));
  for (int64_t j = 0; j < shown; ++j) {
    const std::string& name = names[static_cast<size_t>(j)];
    const ChainMatrix& m = matrices[static_cast<size_t>(j)];
    body += "<h2>" + escape_html(name) + "</h2>\n" +
            figures_html({trace_figure(name, m, shown_chains), rank_figure(name, m, shown_chains),
                          autocorrelation_figure(name, m), density_figure(name, m)},
                         600, 280);
  }
  std::vector<GnuplotFigure> joint;
  if (names.size() > 1) {
    joint.push_back(
        pair_figure(names[pair_a], matrices[pair_a], names[pair_b], matrices[pair_b], divergent));
  }
  if (energy != nullptr) joint.push_back(energy_figure(*energy));
  if (!joint.empty()) body += "<h2>Joint behaviour</h2>\n" + figures_html(joint, 600, 420);

  const std::string path = dir + "/report.html";
  write_file_atomically(path, page("ebmc report: " + dir, body));
  return path;
}

}  // namespace ebmc
