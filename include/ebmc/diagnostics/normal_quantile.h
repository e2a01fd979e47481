#pragma once
/// @file normal_quantile.h
/// The standard normal quantile function as R's qnorm computes it.

namespace ebmc {

/// Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16, relative accuracy about 1e-16), evaluated in
/// the order R's qnorm evaluates it, so that rank-normalized draws (`z_scale`) carry the bits
/// R's `posterior` gives them. −∞ at 0, +∞ at 1, NaN outside [0, 1].
double normal_quantile(double p);

}  // namespace ebmc
