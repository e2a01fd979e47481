#pragma once
/// @file autocovariance.h
/// Autocovariance of every chain by FFT.

#include <vector>

#include "ebmc/diagnostics/chain_matrix.h"

namespace ebmc {

/// Biased autocovariance estimates (divisor N, as Geyer 1992 recommends) at lags 0 … N−1 of each
/// chain, computed with a zero-padded FFT. Returns a matrix of the same shape: row t is lag t.
/// A constant chain has all autocovariances exactly zero.
ChainMatrix autocovariance(const ChainMatrix& draws);

}  // namespace ebmc
