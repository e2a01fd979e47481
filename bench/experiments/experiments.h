#pragma once
/// @file experiments.h
/// `ebmc bench` experiments: each runs samplers against their baselines in one process and
/// prints a table (and JSON when asked).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace ebmc::bench {

/// Settings shared by the experiments.
struct BenchOptions {
  bool quick = false;  ///< shorter runs, for smoke tests
  uint64_t seed = 1;
  int64_t chains = 4;
};

/// MALA, HMC (best of a grid of step-size targets × path lengths) and NUTS on ICG, SCG, funnel3
/// and German-credit logistic regression: min bulk-ESS per second and per gradient evaluation;
/// plus the overhead of kernel + runner over bare energy-and-gradient evaluation at 1024 chains.
/// Prints the tables to stdout and returns them as JSON.
nlohmann::json run_classical_bench(const BenchOptions& options);

}  // namespace ebmc::bench
