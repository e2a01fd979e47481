#include "ebmc/diagnostics/summary.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <thread>

#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/ess.h"
#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/rhat.h"
#include "ebmc/diagnostics/transforms.h"

namespace ebmc {

ParameterSummary summarize(const std::string& name, const ChainMatrix& draws) {
  // The functions of ess.h, rhat.h and mcse.h, with their shared pieces computed once: the split
  // chains, their rank-normalized version (bulk R-hat and ESS), the quantiles (the tail-ESS
  // indicators use q5 and q95) and the basic ESS (ess_mean, mcse_mean). Same values, a third of
  // the sorting and FFTs.
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  ParameterSummary s;
  s.name = name;
  const std::vector<double>& v = draws.values();
  s.mean = mean_of(v.data(), v.size());
  s.sd = std::sqrt(variance_of(v.data(), v.size()));
  const std::vector<double> q = quantiles(v, {0.05, 0.5, 0.95});
  s.q5 = q[0];
  s.q50 = q[1];
  s.q95 = q[2];
  const ChainMatrix split = split_chains(draws);
  const ChainMatrix bulk = z_scale(split);
  const double rhat_bulk = rhat_of_chains(bulk);
  const double rhat_tail = rhat_of_chains(z_scale(split_chains(fold_draws(draws))));
  s.rhat = std::isnan(rhat_bulk) || std::isnan(rhat_tail) ? kNaN : std::max(rhat_bulk, rhat_tail);
  s.rhat_basic = rhat_of_chains(split);
  s.ess_bulk = ess_of_chains(bulk);
  s.ess_tail = kNaN;
  if (!has_nonfinite(v) && !is_constant(v)) {
    const auto indicator_ess = [&draws](double quantile) {
      return ess_of_chains(
          split_chains(draws.map([quantile](double x) { return x <= quantile ? 1.0 : 0.0; })));
    };
    const double low = indicator_ess(s.q5), high = indicator_ess(s.q95);
    if (!std::isnan(low) && !std::isnan(high)) s.ess_tail = std::min(low, high);
  }
  s.ess_basic = ess_of_chains(split);
  s.ess_mean = s.ess_basic;
  s.mcse_mean = s.sd / std::sqrt(s.ess_mean);
  s.mcse_sd = mcse_sd(draws);
  s.note = undefined_reason(draws);
  if (s.note.empty() && std::isnan(s.ess_tail)) {
    s.note = "tail-ESS undefined: a 5% or 95% quantile indicator is constant (discrete draws)";
  }
  return s;
}

size_t diagnostics_threads() {
  // LibTorch defaults to one thread per physical core (1 on a 2-vCPU machine); the summaries
  // are the same whatever the count, so they use every CPU unless OMP_NUM_THREADS says otherwise.
  if (const char* omp = std::getenv("OMP_NUM_THREADS")) return std::max(1, std::atoi(omp));
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

std::vector<ParameterSummary> summarize_all(const std::vector<std::string>& names,
                                            const std::vector<ChainMatrix>& draws, size_t threads) {
  if (names.size() != draws.size()) {
    throw std::invalid_argument("summarize_all: one name per parameter is needed");
  }
  // Parameters are independent: summarized on every intra-op thread, each parameter by one
  // thread, so the values do not depend on the thread count.
  std::vector<ParameterSummary> out(names.size());
  std::atomic<size_t> next{0};
  const auto work = [&]() {
    for (size_t i = next++; i < names.size(); i = next++) out[i] = summarize(names[i], draws[i]);
  };
  if (threads == 0) threads = diagnostics_threads();
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < std::min(threads, names.size()); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  return out;
}

std::vector<ChainMatrix> per_parameter(const torch::Tensor& draws) {
  if (!draws.defined() || draws.dim() != 3) {
    throw std::invalid_argument("per_parameter: expected a [iterations, chains, dim] tensor");
  }
  std::vector<ChainMatrix> out;
  out.reserve(static_cast<size_t>(draws.size(2)));
  for (int64_t d = 0; d < draws.size(2); ++d) {
    out.push_back(ChainMatrix::from_tensor(draws.select(2, d)));
  }
  return out;
}

}  // namespace ebmc
