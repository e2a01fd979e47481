#include "ebmc/flows/isir.h"

#include "ebmc/samplers/registry.h"

namespace ebmc {

void IsirOptions::validate() const {
  check_at_least(particles(), 1, "isir", "particles");
  flow().validate();
}

Isir::Isir(IsirOptions options, std::shared_ptr<Flow> flow)
    : FlowKernel((options.validate(), options.flow()), std::move(flow)),
      options_(std::move(options)) {}

State Isir::init(const Target& target, const torch::Tensor& x0) {
  return bind_flow_and_evaluate(target, x0, /*with_gradient=*/false);
}

Info Isir::step(State& state, Rng& rng) {
  torch::NoGradGuard no_grad;
  state.grad = torch::Tensor();  // gradient-free: a caller that needs ∇U re-evaluates it
  const int64_t chains = state.chains(), n = options_.particles(), dim = state.x.size(1);
  FlowSample pool = flow()->sample_per_chain(chains, n, rng);
  const torch::Tensor energy = target().energy(pool.x).reshape({chains, n});
  torch::Tensor log_weights = torch::cat({(-state.energy - flow()->log_prob(state.x)).unsqueeze(1),
                                          -energy - pool.log_prob.reshape({chains, n})},
                                         1);  // [chains, 1 + n]; column 0 is the current state
  const torch::Tensor bad = torch::logical_not(torch::isfinite(log_weights));
  Info info;
  info.nonfinite = bad.sum().item<int64_t>();
  log_weights = log_weights.masked_fill(bad, -std::numeric_limits<double>::infinity());
  const torch::Tensor probabilities = torch::softmax(log_weights, 1);
  const torch::Tensor cumulative = probabilities.cumsum(1);
  const torch::Tensor u = rng.uniform({chains, 1}) * cumulative.select(1, n).unsqueeze(1);
  const torch::Tensor pick =
      torch::searchsorted(cumulative, u, false, /*right=*/true).squeeze(1).clamp_max(n);
  info.accepted = pick > 0;
  info.accept_prob = 1.0 - probabilities.select(1, 0);
  // Row c of the chosen proposals: pool row c·n + pick − 1 (unused where pick = 0).
  const torch::Tensor rows = torch::arange(chains, torch::kInt64) * n + (pick - 1).clamp_min(0);
  state.x =
      where_rows(info.accepted, pool.x.reshape({chains * n, dim}).index_select(0, rows), state.x);
  state.energy =
      torch::where(info.accepted, energy.reshape({-1}).index_select(0, rows), state.energy);
  info.energy_evals = chains * n;
  return info;
}

EBMC_REGISTER(register_sampler<IsirOptions>(
    "isir", "iterated sampling-importance-resampling with a normalizing flow (Algorithm 6)",
    [](const IsirOptions& o) {
      return Sampler{std::make_shared<Isir>(o), {}};
    }));

}  // namespace ebmc
