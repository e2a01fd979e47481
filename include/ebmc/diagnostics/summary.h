#pragma once
/// @file summary.h
/// All posterior summaries of one scalar quantity in one call.

#include <string>
#include <vector>

#include "ebmc/diagnostics/chain_matrix.h"

namespace ebmc {

/// The summaries `ebmc diagnose` and `ebmc sample` report for one parameter. Undefined values
/// are NaN and `note` says why.
struct ParameterSummary {
  std::string name;
  double mean = 0, sd = 0, q5 = 0, q50 = 0, q95 = 0;
  double rhat = 0, rhat_basic = 0;
  double ess_bulk = 0, ess_tail = 0, ess_basic = 0, ess_mean = 0;
  double mcse_mean = 0, mcse_sd = 0;
  std::string note;  ///< empty when every value is defined
};

/// Summarizes the [iterations, chains] draws of parameter `name`.
///
///     ebmc::ParameterSummary s = ebmc::summarize("mu", draws);
///     if (s.rhat > 1.01) std::cerr << "mu has not converged\n";
ParameterSummary summarize(const std::string& name, const ChainMatrix& draws);

/// Threads `summarize_all` uses: every CPU, or OMP_NUM_THREADS when it is set.
size_t diagnostics_threads();

/// Summarizes each parameter, on `threads` threads (0: `diagnostics_threads()`), each parameter
/// by one thread: the same values whatever the count.
std::vector<ParameterSummary> summarize_all(const std::vector<std::string>& names,
                                            const std::vector<ChainMatrix>& draws,
                                            size_t threads = 0);

/// Splits a [iterations, chains, dim] tensor into one ChainMatrix per coordinate.
std::vector<ChainMatrix> per_parameter(const torch::Tensor& draws);

}  // namespace ebmc
