#include "ebmc/diagnostics/summary.h"

#include <cmath>
#include <stdexcept>

#include "ebmc/diagnostics/basic_stats.h"
#include "ebmc/diagnostics/ess.h"
#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/rhat.h"

namespace ebmc {

ParameterSummary summarize(const std::string& name, const ChainMatrix& draws) {
  ParameterSummary s;
  s.name = name;
  const std::vector<double>& v = draws.values();
  s.mean = mean_of(v.data(), v.size());
  s.sd = std::sqrt(variance_of(v.data(), v.size()));
  const std::vector<double> q = quantiles(v, {0.05, 0.5, 0.95});
  s.q5 = q[0];
  s.q50 = q[1];
  s.q95 = q[2];
  s.rhat = rhat(draws);
  s.rhat_basic = rhat_basic(draws);
  s.ess_bulk = ess_bulk(draws);
  s.ess_tail = ess_tail(draws);
  s.ess_basic = ess_basic(draws);
  s.ess_mean = ess_mean(draws);
  s.mcse_mean = mcse_mean(draws);
  s.mcse_sd = mcse_sd(draws);
  s.note = undefined_reason(draws);
  if (s.note.empty() && std::isnan(s.ess_tail)) {
    s.note = "tail-ESS undefined: a 5% or 95% quantile indicator is constant (discrete draws)";
  }
  return s;
}

std::vector<ParameterSummary> summarize_all(const std::vector<std::string>& names,
                                            const std::vector<ChainMatrix>& draws) {
  if (names.size() != draws.size()) {
    throw std::invalid_argument("summarize_all: one name per parameter is needed");
  }
  std::vector<ParameterSummary> out;
  out.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) out.push_back(summarize(names[i], draws[i]));
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
