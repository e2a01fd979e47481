#pragma once
/// @file html_report.h
/// `ebmc report DIR` and `--report`: one self-contained HTML page (inline SVG plots drawn by
/// gnuplot, no external files, works offline) for a sampling run's folder or a training log.

#include <cstdint>
#include <string>

namespace ebmc {

/// What the report shows.
struct ReportOptions {
  int64_t parameters = 4;  ///< trace, rank, autocorrelation and density plots for the first k
  std::string pair;        ///< "a,b": the pair plot's parameters (default: the first two)
  int64_t max_chains = 8;  ///< chains drawn in trace and rank plots (all enter the statistics)
};

/// Writes DIR/report.html from DIR/draws.csv (or draws.csv.partial of an interrupted run) and,
/// when present, DIR/summary.json: the run, its warnings, the summary table, and per parameter
/// trace plots by chain, rank plots (Vehtari et al. 2021), autocorrelation and marginal density;
/// a pair plot with divergent transitions in red; the energy / E-BFMI plot when the draws carry
/// `energy__`. Returns the report's path. Throws InputError for a folder without draws.
std::string write_run_report(const std::string& dir, const ReportOptions& options);

/// Writes PATH.html next to a training log PATH (the `MODEL.training.csv` of
/// `ebmc train-sampler`, `ebmc train-flow`, …): every column (loss, acceptance, learning rate,
/// …) against `iteration`, except `seconds` and `skipped`.
/// Returns the report's path.
std::string write_training_report(const std::string& log_path);

}  // namespace ebmc
