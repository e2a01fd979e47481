#pragma once
/// @file warnings.h
/// What a careful user must know before trusting a run, with the thresholds of Stan and of R's
/// `posterior`: split R-hat, bulk- and tail-ESS per chain, divergences, saturated tree depth,
/// E-BFMI, non-finite rejections and acceptance far from the adaptation target.

#include <torch/torch.h>

#include <string>
#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/summary.h"

namespace ebmc {

/// One warning: a stable code and a one-line message with the numbers and the threshold.
struct RunWarning {
  /// `rhat`, `ess_bulk`, `ess_tail`, `divergences`, `treedepth` (or `<stat>_limit`), `ebfmi`,
  /// `energy_trend` (the energy fell through the run in every chain), `zero_gradient`,
  /// `nonfinite`, `acceptance`.
  std::string code;
  std::string message;
};

/// The thresholds (defaults: Stan and `posterior`).
struct WarningThresholds {
  double rhat = 1.01;            ///< warn above (Vehtari et al. 2021)
  double ess_per_chain = 100.0;  ///< warn when bulk- or tail-ESS is below this times the chains
  double ebfmi = 0.3;            ///< warn below, per chain (CmdStan's diagnose)
  double accept_gap = 0.15;      ///< warn when the mean acceptance is this far from the target
};

/// E-BFMI of each chain of `energy` [draws, chains]: Σ(Eₙ − Eₙ₋₁)² / Σ(Eₙ − Ē)² (Betancourt
/// 2016); NaN for a chain with fewer than 3 draws or constant energy.
std::vector<double> ebfmi(const torch::Tensor& energy);

/// The warnings of a finished run whose recorded quantities are summarized by `summaries`
/// (parameters, or the statistics a discrete run records). Empty when nothing is wrong.
///
///     for (const ebmc::RunWarning& w : ebmc::run_warnings(run, summaries)) std::cerr << w.message;
std::vector<RunWarning> run_warnings(const RunResult& run,
                                     const std::vector<ParameterSummary>& summaries,
                                     const WarningThresholds& thresholds = {});

}  // namespace ebmc
