#include <algorithm>
#include <cmath>
#include <map>

#include "ebmc/core/errors.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/csv_reader.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_parts.h"
#include "ebmc/report/html_report.h"

namespace ebmc {

std::vector<GnuplotFigure> training_figures(const std::string& log_path, int64_t* rows_read) {
  CsvReader reader(log_path);
  std::vector<std::string> header, fields;
  if (!reader.next_row(header)) throw InputError("file is empty", log_path);
  reader.check_header_names(header);
  // Every curve of the log against `iteration`, except the bookkeeping columns.
  const auto iteration = std::find(header.begin(), header.end(), "iteration");
  if (iteration == header.end()) {
    throw InputError("not a training log: no column 'iteration'", reader.where());
  }
  std::vector<std::string> wanted = {"iteration"};
  std::vector<size_t> columns = {static_cast<size_t>(iteration - header.begin())};
  for (size_t k = 0; k < header.size(); ++k) {
    if (header[k] == "iteration" || header[k] == "seconds" || header[k] == "skipped") continue;
    wanted.push_back(header[k]);
    columns.push_back(k);
  }
  std::string rows;
  int64_t count = 0;
  std::vector<bool> has_value(columns.size(), false);  // a column of NaNs only gets no plot
  while (reader.next_row(fields)) {
    if (fields.size() != header.size()) {
      throw InputError("row has " + std::to_string(fields.size()) + " fields, expected " +
                           std::to_string(header.size()),
                       reader.where());
    }
    for (size_t k = 0; k < columns.size(); ++k) {
      const double value = reader.parse_number(fields[columns[k]], wanted[k]);
      if (std::isfinite(value)) has_value[k] = true;
      rows += (k ? " " : "") + number(value);
    }
    rows += "\n";
    ++count;
  }
  if (count == 0) throw InputError("the training log has no rows", log_path);
  const std::map<std::string, std::string> known_titles = {
      {"loss", "training loss"},
      {"accept", "acceptance probability"},
      {"esjd", "expected squared jump distance"},
      {"learning_rate", "learning rate"},
      {"temperature", "temperature"}};
  std::vector<GnuplotFigure> figures;
  for (size_t k = 1; k < wanted.size(); ++k) {
    if (!has_value[k]) continue;
    const auto known = known_titles.find(wanted[k]);
    const std::string title = known == known_titles.end() ? wanted[k] : known->second;
    figures.push_back({title,
                       {{"log", rows}},
                       "set title " + quoted(title) + "\nset xlabel 'iteration'\nunset key\n" +
                           (wanted[k] == "learning_rate" ? "set logscale y\n" : "") +
                           "plot $log using 1:" + std::to_string(k + 1) +
                           " with lines lw 1.5 lc rgb '#4477aa'"});
  }
  if (rows_read != nullptr) *rows_read = count;
  return figures;
}

std::string write_training_report(const std::string& log_path) {
  require_gnuplot("ebmc report");
  int64_t count = 0;
  const std::vector<GnuplotFigure> figures = training_figures(log_path, &count);
  const std::string body = "<h1>ebmc training report</h1>\n<p class=run>" + escape_html(log_path) +
                           ", " + std::to_string(count) +
                           " iterations</p>\n<h2>Training curves</h2>\n" +
                           figures_html(figures, 600, 300);
  std::string path = log_path;
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0)
    path.resize(path.size() - 4);
  path += ".html";
  write_file_atomically(path, page("ebmc training report: " + log_path, body));
  return path;
}

}  // namespace ebmc
