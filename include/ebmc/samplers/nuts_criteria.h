#pragma once
/// @file nuts_criteria.h
/// The arithmetic NUTS's trees share, batched or per chain: log-sum-exp of subtree weights and the
/// generalized no-U-turn criterion on raw rows.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace ebmc::nuts_criteria {

/// log(exp(a) + exp(b)) without overflow; −∞ + −∞ = −∞.
inline double log_add_exp(double a, double b) {
  if (a < b) std::swap(a, b);
  if (a == -std::numeric_limits<double>::infinity()) return a;
  return a + std::log1p(std::exp(b - a));
}

/// Generalized no-U-turn criterion: both ends' velocities point along the summed momentum `rho`.
inline bool no_u_turn(const double* p_sharp_minus, const double* p_sharp_plus, const double* rho,
                      int64_t dim) {
  double plus = 0.0, minus = 0.0;
  for (int64_t i = 0; i < dim; ++i) {
    plus += p_sharp_plus[i] * rho[i];
    minus += p_sharp_minus[i] * rho[i];
  }
  return plus > 0 && minus > 0;
}

/// The same criterion with ρ = a + b, summed on the fly (Stan's checks across subtree seams).
inline bool no_u_turn_sum(const double* p_sharp_minus, const double* p_sharp_plus, const double* a,
                          const double* b, int64_t dim) {
  double plus = 0.0, minus = 0.0;
  for (int64_t i = 0; i < dim; ++i) {
    const double rho = a[i] + b[i];
    plus += p_sharp_plus[i] * rho;
    minus += p_sharp_minus[i] * rho;
  }
  return plus > 0 && minus > 0;
}

}  // namespace ebmc::nuts_criteria
