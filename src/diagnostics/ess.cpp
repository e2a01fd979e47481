#include "ebmc/diagnostics/ess.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ebmc/diagnostics/autocovariance.h"
#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/transforms.h"

namespace ebmc {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool should_return_nan(const ChainMatrix& draws) {
  return has_nonfinite(draws.values()) || is_constant(draws.values());
}

std::vector<double> chain_means(const ChainMatrix& draws) {
  std::vector<double> means(static_cast<size_t>(draws.chains()));
  for (int64_t c = 0; c < draws.chains(); ++c) {
    means[static_cast<size_t>(c)] =
        mean_of(draws.chain_data(c), static_cast<size_t>(draws.iterations()));
  }
  return means;
}

}  // namespace

double ess_of_chains(const ChainMatrix& draws) {
  const int64_t chains = draws.chains();
  const int64_t n = draws.iterations();
  if (n < 3 || should_return_nan(draws)) return kNaN;

  const ChainMatrix acov = autocovariance(draws);
  std::vector<double> acov_means(static_cast<size_t>(n), 0.0);
  for (int64_t t = 0; t < n; ++t) {
    double sum = 0.0;
    for (int64_t c = 0; c < chains; ++c) sum += acov(t, c);
    acov_means[static_cast<size_t>(t)] = sum / static_cast<double>(chains);
  }
  const double nd = static_cast<double>(n);
  const double mean_var = acov_means[0] * nd / (nd - 1.0);
  double var_plus = mean_var * (nd - 1.0) / nd;
  if (chains > 1) {
    const std::vector<double> means = chain_means(draws);
    var_plus += variance_of(means.data(), means.size());
  }
  auto rho_at = [&](int64_t lag) {
    return 1.0 - (mean_var - acov_means[static_cast<size_t>(lag)]) / var_plus;
  };

  // Geyer's initial positive sequence over pairs (rho[t], rho[t+1]), t even (0-based lags).
  std::vector<double> rho(static_cast<size_t>(n) + 2, 0.0);
  int64_t t = 0;
  double rho_even = 1.0;
  double rho_odd = rho_at(1);
  rho[0] = rho_even;
  rho[1] = rho_odd;
  while (t < n - 5 && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0) {
    t += 2;
    rho_even = rho_at(t);
    rho_odd = rho_at(t + 1);
    if (rho_even + rho_odd >= 0) {
      rho[static_cast<size_t>(t)] = rho_even;
      rho[static_cast<size_t>(t + 1)] = rho_odd;
    }
  }
  const int64_t max_t = t;
  // Used by the improved (antithetic-aware) estimate below.
  if (rho_even > 0) rho[static_cast<size_t>(max_t)] = rho_even;

  // Geyer's initial monotone sequence.
  t = 0;
  while (t <= max_t - 4) {
    t += 2;
    const double previous_pair = rho[static_cast<size_t>(t - 2)] + rho[static_cast<size_t>(t - 1)];
    if (rho[static_cast<size_t>(t)] + rho[static_cast<size_t>(t + 1)] > previous_pair) {
      rho[static_cast<size_t>(t)] = previous_pair / 2.0;
      rho[static_cast<size_t>(t + 1)] = rho[static_cast<size_t>(t)];
    }
  }

  // tau = -1 + 2 * sum(rho[lags 0 .. max_t-1]) + rho[max_t]; with max_t = 0 the sum is rho[0]
  // (R's 1:0 indexing), which the loop below reproduces.
  double sum = 0.0;
  for (int64_t lag = 0; lag < std::max<int64_t>(max_t, 1); ++lag)
    sum += rho[static_cast<size_t>(lag)];
  double tau = -1.0 + 2.0 * sum + rho[static_cast<size_t>(max_t)];
  const double total = static_cast<double>(chains) * nd;
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

double ess_bulk(const ChainMatrix& draws) { return ess_of_chains(z_scale(split_chains(draws))); }

double ess_quantile(const ChainMatrix& draws, double prob) {
  if (should_return_nan(draws)) return kNaN;
  if (prob == 1.0) {
    const double len = static_cast<double>(draws.size());
    prob = (len - 0.5) / len;
  }
  return ess_of_chains(split_chains(quantile_indicator(draws, prob)));
}

double ess_tail(const ChainMatrix& draws) {
  const double q05 = ess_quantile(draws, 0.05);
  const double q95 = ess_quantile(draws, 0.95);
  if (std::isnan(q05) || std::isnan(q95)) return kNaN;
  return std::min(q05, q95);
}

double ess_basic(const ChainMatrix& draws) { return ess_of_chains(split_chains(draws)); }

double ess_mean(const ChainMatrix& draws) { return ess_basic(draws); }

std::string undefined_reason(const ChainMatrix& draws) {
  if (draws.size() == 0) return "no draws";
  const std::vector<double>& v = draws.values();
  if (std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); })) {
    return "draws contain NaN";
  }
  if (has_nonfinite(v)) return "draws contain Inf: only the rank-based R-hat and ESS are defined";
  if (is_constant(draws.values())) return "all draws are equal";
  if (draws.iterations() / 2 < 3) return "fewer than 3 draws per split chain";
  return "";
}

}  // namespace ebmc
