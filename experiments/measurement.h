#pragma once
/// @file measurement.h
/// One benchmark run of a sampler on a target, and the grid-tuned HMC baseline, shared by the
/// `ebmc bench` experiments.

#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/cost.h"
#include "ebmc/core/target.h"
#include "ebmc/diagnostics/efficiency.h"
#include "ebmc/diagnostics/summary.h"
#include "experiments.h"

namespace ebmc::bench {

/// The mean of the finite values (NaN when there are none).
double mean_finite(const std::vector<double>& values);
/// The largest finite value (NaN when there is none).
double max_finite(const std::vector<double>& values);

/// "mean ± standard error" of `values` (n − 1 in the variance) with `format`; non-finite values
/// are left out and counted as "(k failed)"; "–" when none is finite.
std::string mean_se(const std::vector<double>& values, const char* format = "%.3g");

/// What one run measured (sampling phase only).
struct Measurement {
  std::string target, sampler;
  double accept = 0;
  Efficiency efficiency;
  CostCounters cost;
  int64_t divergences = 0;
  int64_t transitions = 0;                  ///< chains × draws
  torch::Tensor draws;                      ///< [draws, chains, dim]
  std::vector<ParameterSummary> summaries;  ///< per parameter, of the sampling phase

  /// min bulk-ESS per Metropolis-Hastings transition of one chain (the L2HMC paper's measure).
  double ess_per_transition() const {
    return efficiency.min_ess_bulk / static_cast<double>(transitions);
  }
};

/// Runs `sampler` (an `ebmc sample` spec) on `target` with `options.chains` chains, `warmup` +
/// `draws` iterations, seeded by `options.seed`, from `x0` [chains, dim] or, when undefined, from
/// Stan-style inits (uniform on (−2, 2)).
Measurement measure(const std::string& target_spec, const Target& target,
                    const std::string& sampler, const BenchOptions& options, int64_t warmup,
                    int64_t draws, const torch::Tensor& x0 = torch::Tensor());

/// The measurement as JSON (no draws).
nlohmann::json to_json(const Measurement& m);

/// HMC over the baselines' grid — dual-averaging targets {0.65, 0.9} for ε × {5, 15, 40}
/// leapfrog steps (just 10 with `options.quick`), jitter 0.2 — with `extra` appended to every
/// spec (e.g. `,metric=unit`); every run is appended to `results`; returns the run with the
/// highest ESS per gradient evaluation.
Measurement best_hmc(const std::string& target_spec, const Target& target,
                     const BenchOptions& options, int64_t warmup, int64_t draws,
                     const std::string& extra, nlohmann::json& results);

}  // namespace ebmc::bench
