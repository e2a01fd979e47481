#pragma once
/// @file ebm_report.h
/// The HTML report of `ebmc train-ebm`: the learned density's heatmap next to the data's (and
/// the true density when the data came from a target), the training curves and the metrics.

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/target.h"
#include "ebmc/ebm/ebm_metrics.h"
#include "ebmc/report/gnuplot.h"

namespace ebmc {

/// Writes DIR/report.html and returns its path. `learned` is the EBM's normalized grid (2-d runs;
/// null otherwise), `data` the training data, `truth` the generating target (or null),
/// `log_path` the training log, `metrics` what metrics.json holds.
std::string write_ebm_report(const std::string& dir, const std::string& log_path,
                             const GridDensity* learned, const torch::Tensor& data,
                             const Target* truth, const nlohmann::json& metrics);

/// A heatmap of the matrix `values` [R, C] with row 0 at the top; `gray`: white (0) to black
/// (1), for binary images.
GnuplotFigure matrix_figure(const std::string& title, const torch::Tensor& values,
                            bool gray = false);

/// `images` [N, H, W] tiled `columns` wide with one-pixel gaps of value 0.5.
torch::Tensor tile_images(const torch::Tensor& images, int64_t columns);

/// Writes DIR/report.html of a discrete run — the metrics, `figures` (couplings, samples) and
/// the training curves of `log_path` (none when empty) — and returns its path.
std::string write_discrete_ebm_report(const std::string& dir, const std::string& log_path,
                                      const std::vector<GnuplotFigure>& figures,
                                      const nlohmann::json& metrics);

}  // namespace ebmc
