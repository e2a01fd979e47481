#pragma once
/// @file cost.h
/// Cost counters: what a run spent, for ESS per second and per gradient evaluation.

#include <chrono>
#include <cstdint>

namespace ebmc {

/// Per-chain energy and gradient evaluations and wall time of a run (or of one phase of it).
struct CostCounters {
  int64_t energy_evals = 0;    ///< per-chain energy evaluations
  int64_t gradient_evals = 0;  ///< per-chain gradient evaluations
  double wall_seconds = 0.0;   ///< elapsed wall-clock time

  /// Adds another counter's totals to this one.
  CostCounters& operator+=(const CostCounters& other) {
    energy_evals += other.energy_evals;
    gradient_evals += other.gradient_evals;
    wall_seconds += other.wall_seconds;
    return *this;
  }
};

/// Measures elapsed wall-clock time from construction.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  /// Seconds since construction.
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ebmc
