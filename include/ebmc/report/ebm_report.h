#pragma once
/// @file ebm_report.h
/// The HTML report of `ebmc train-ebm`: the learned density's heatmap next to the data's (and
/// the true density when the data came from a target), the training curves and the metrics.

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/core/target.h"
#include "ebmc/ebm/ebm_metrics.h"

namespace ebmc {

/// Writes DIR/report.html and returns its path. `learned` is the EBM's normalized grid (2-d runs;
/// null otherwise), `data` the training data, `truth` the generating target (or null),
/// `log_path` the training log, `metrics` what metrics.json holds.
std::string write_ebm_report(const std::string& dir, const std::string& log_path,
                             const GridDensity* learned, const torch::Tensor& data,
                             const Target* truth, const nlohmann::json& metrics);

}  // namespace ebmc
