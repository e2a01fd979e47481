#include "ebmc/report/ebm_report.h"

#include "ebmc/io/atomic_file.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_parts.h"

namespace ebmc {

namespace {

/// A heatmap of `values` [R, R] on the grid's cell centres (gnuplot `with image`).
GnuplotFigure heatmap(const std::string& title, const GridDensity& grid,
                      const torch::Tensor& values) {
  std::string rows;
  const int64_t r = grid.axis_x.size(0);
  const auto v = values.contiguous();
  for (int64_t i = 0; i < r; ++i) {
    for (int64_t j = 0; j < r; ++j) {
      rows += number(grid.axis_x[i].item<double>()) + " " + number(grid.axis_y[j].item<double>()) +
              " " + number(v[i][j].item<double>()) + "\n";
    }
    rows += "\n";
  }
  return {title,
          {{"grid", rows}},
          "set title " + quoted(title) +
              "\nset size ratio -1\nunset key\nset palette defined (0 '#ffffff', 1 '#4477aa', 2 "
              "'#223355')\nset autoscale fix\nplot $grid using 1:2:3 with image"};
}

/// The fraction of `data` rows in each grid cell, divided by the cell area (a density).
torch::Tensor histogram_density(const GridDensity& grid, const torch::Tensor& data) {
  const int64_t r = grid.axis_x.size(0);
  const double dx = (grid.axis_x[1] - grid.axis_x[0]).item<double>();
  const double dy = (grid.axis_y[1] - grid.axis_y[0]).item<double>();
  const torch::Tensor ix =
      ((data.select(1, 0) - grid.axis_x[0]) / dx + 0.5).floor().to(torch::kInt64);
  const torch::Tensor iy =
      ((data.select(1, 1) - grid.axis_y[0]) / dy + 0.5).floor().to(torch::kInt64);
  const torch::Tensor inside = (ix >= 0) & (ix < r) & (iy >= 0) & (iy < r);
  const torch::Tensor cells = (ix * r + iy).masked_select(inside);
  return torch::bincount(cells, {}, r * r).to(torch::kFloat64).reshape({r, r}) /
         (static_cast<double>(data.size(0)) * grid.cell);
}

std::string metrics_table(const nlohmann::json& metrics) {
  std::string html = "<table><tr><th>metric</th><th>value</th></tr>\n";
  for (const auto& [key, value] : metrics.items()) {
    if (key == "grid") continue;
    html +=
        "<tr><td>" + escape_html(key) + "</td><td>" + escape_html(value.dump()) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

/// Adds the training curves of `log_path` (when not empty) to `body` and writes DIR/report.html.
std::string finish_report(const std::string& dir, const std::string& log_path, std::string body) {
  if (!log_path.empty()) {
    int64_t rows = 0;
    const std::vector<GnuplotFigure> curves = training_figures(log_path, &rows);
    body += "<h2>Training curves (" + std::to_string(rows) + " iterations)</h2>\n" +
            figures_html(curves, 600, 300);
  }
  const std::string path = dir + "/report.html";
  write_file_atomically(path, page("ebmc EBM report: " + dir, body));
  return path;
}

}  // namespace

std::string write_ebm_report(const std::string& dir, const std::string& log_path,
                             const GridDensity* learned, const torch::Tensor& data,
                             const Target* truth, const nlohmann::json& metrics) {
  require_gnuplot("--report");
  std::string body = "<h1>ebmc EBM training report</h1>\n<p class=run>" + escape_html(dir) +
                     "</p>\n<h2>Metrics</h2>\n" + metrics_table(metrics);
  if (learned != nullptr) {
    std::vector<GnuplotFigure> maps = {
        heatmap("learned density p_theta (normalized on the grid)", *learned,
                learned->log_density.exp()),
        heatmap("training data (histogram)", *learned, histogram_density(*learned, data))};
    if (truth != nullptr) {
      torch::NoGradGuard no_grad;
      const torch::Tensor exact =
          (-truth->energy(learned->points())).exp().reshape(learned->log_density.sizes());
      maps.push_back(heatmap("true density", *learned, exact));
    }
    body += "<h2>Densities</h2>\n" + figures_html(maps, 380, 360);
  }
  return finish_report(dir, log_path, body);
}

GnuplotFigure matrix_figure(const std::string& title, const torch::Tensor& values, bool gray) {
  const torch::Tensor v = values.to(torch::kFloat64).contiguous();
  std::string rows;
  // gnuplot's `matrix` puts row 0 at the bottom: write the rows bottom-up.
  for (int64_t i = v.size(0) - 1; i >= 0; --i) {
    for (int64_t j = 0; j < v.size(1); ++j) rows += (j ? " " : "") + number(v[i][j].item<double>());
    rows += "\n";
  }
  const std::string palette = gray ? "set palette gray negative\nset cbrange [0:1]\nunset colorbox"
                                   : "set palette defined (0 '#ffffff', 1 '#4477aa', 2 '#223355')";
  return {title,
          {{"m", rows}},
          "set title " + quoted(title) + "\nset size ratio -1\nunset key\n" + palette +
              "\nset autoscale fix\nunset xtics\nunset ytics\nplot $m matrix with image"};
}

torch::Tensor tile_images(const torch::Tensor& images, int64_t columns) {
  const int64_t n = images.size(0), h = images.size(1), w = images.size(2);
  const int64_t rows = (n + columns - 1) / columns;
  torch::Tensor grid =
      torch::full({rows * (h + 1) - 1, columns * (w + 1) - 1}, 0.5, torch::kFloat64);
  for (int64_t k = 0; k < n; ++k) {
    grid.narrow(0, (k / columns) * (h + 1), h)
        .narrow(1, (k % columns) * (w + 1), w)
        .copy_(images[k]);
  }
  return grid;
}

std::string write_discrete_ebm_report(const std::string& dir, const std::string& log_path,
                                      const std::vector<GnuplotFigure>& figures,
                                      const nlohmann::json& metrics) {
  require_gnuplot("--report");
  std::string body = "<h1>ebmc discrete EBM training report</h1>\n<p class=run>" +
                     escape_html(dir) + "</p>\n<h2>Metrics</h2>\n" + metrics_table(metrics);
  if (!figures.empty())
    body += "<h2>Couplings and samples</h2>\n" + figures_html(figures, 420, 400);
  return finish_report(dir, log_path, body);
}

}  // namespace ebmc
