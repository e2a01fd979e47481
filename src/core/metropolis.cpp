#include "ebmc/core/metropolis.h"

#include "ebmc/core/errors.h"

namespace ebmc {

MetropolisResult metropolis_hastings(const torch::Tensor& log_ratio, Rng& rng) {
  if (!log_ratio.defined() || log_ratio.dim() != 1) {
    throw std::logic_error("metropolis_hastings: log_ratio must be a 1-D tensor over chains");
  }
  torch::Tensor ratio = log_ratio.to(torch::kFloat64);
  torch::Tensor finite = torch::isfinite(ratio);
  torch::Tensor safe_ratio = torch::where(finite, ratio, torch::full_like(ratio, -INFINITY));
  torch::Tensor log_u = torch::log(rng.uniform({ratio.size(0)}));
  MetropolisResult result;
  result.accepted = finite.logical_and(log_u < safe_ratio);
  result.accept_prob = torch::exp(torch::clamp_max(safe_ratio, 0.0));
  result.nonfinite = ratio.size(0) - finite.sum().item<int64_t>();
  return result;
}

Info accept_or_reject(State& state, const State& proposal, const torch::Tensor& log_ratio,
                      Rng& rng) {
  MetropolisResult mh = metropolis_hastings(log_ratio, rng);
  select_rows(state, proposal, mh.accepted);
  Info info;
  info.accept_prob = mh.accept_prob;
  info.accepted = mh.accepted;
  info.nonfinite = mh.nonfinite;
  return info;
}

}  // namespace ebmc
