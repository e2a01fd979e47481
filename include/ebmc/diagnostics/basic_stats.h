#pragma once
/// @file basic_stats.h
/// Elementary statistics with R's conventions (sample variance with n − 1, type-7 quantiles).

#include <vector>

namespace ebmc {

/// Arithmetic mean; NaN for an empty range.
double mean_of(const double* values, size_t n);
/// Sample variance with denominator n − 1 (R's `var`); NaN when n < 2.
double variance_of(const double* values, size_t n);
/// True when max − min is below machine epsilon (R `posterior`'s `is_constant`).
bool is_constant(const std::vector<double>& values);
/// True when any value is NaN or infinite.
bool has_nonfinite(const std::vector<double>& values);
/// Quantiles by R's default (type 7) definition, for each probability in `probs` (each in [0, 1]).
/// NaN if `values` is empty or holds a NaN.
std::vector<double> quantiles(std::vector<double> values, const std::vector<double>& probs);
/// The median as R computes it: the middle value, or the mean of the two middle values.
double median_of(std::vector<double> values);

}  // namespace ebmc
