#include "ebmc/core/metropolis.h"

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

void check_log_ratio(const torch::Tensor& log_ratio) {
  if (!log_ratio.defined() || log_ratio.dim() != 1) {
    throw std::logic_error("metropolis_hastings: log_ratio must be a 1-D tensor over chains");
  }
}

}  // namespace

MetropolisResult metropolis_hastings(const torch::Tensor& log_ratio, Rng& rng) {
  check_log_ratio(log_ratio);
  return metropolis_hastings(log_ratio, rng.uniform({log_ratio.size(0)}));
}

MetropolisResult metropolis_hastings(const torch::Tensor& log_ratio,
                                     const torch::Tensor& uniforms) {
  check_log_ratio(log_ratio);
  torch::Tensor ratio = log_ratio.to(torch::kFloat64);
  torch::Tensor finite = torch::isfinite(ratio);
  torch::Tensor safe_ratio = torch::where(finite, ratio, torch::full_like(ratio, -INFINITY));
  torch::Tensor log_u = torch::log(uniforms);
  MetropolisResult result;
  result.accepted = finite.logical_and(log_u < safe_ratio);
  result.accept_prob = torch::exp(torch::clamp_max(safe_ratio, 0.0));
  result.nonfinite = ratio.size(0) - finite.sum().item<int64_t>();
  return result;
}

Info accept_or_reject(State& state, const State& proposal, const torch::Tensor& log_ratio,
                      Rng& rng) {
  check_log_ratio(log_ratio);
  return accept_or_reject(state, proposal, log_ratio, rng.uniform({log_ratio.size(0)}));
}

Info accept_or_reject(State& state, const State& proposal, const torch::Tensor& log_ratio,
                      const torch::Tensor& uniforms) {
  MetropolisResult mh = metropolis_hastings(log_ratio, uniforms);
  select_rows(state, proposal, mh.accepted);
  Info info;
  info.accept_prob = mh.accept_prob;
  info.accepted = mh.accepted;
  info.nonfinite = mh.nonfinite;
  return info;
}

}  // namespace ebmc
