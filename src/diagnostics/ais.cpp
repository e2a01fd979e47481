#include "ebmc/diagnostics/ais.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

namespace {

/// f_β = β f + (1 − β) log p_n: values, gradients and local differences combine linearly.
class AnnealedTarget : public DiscreteTarget {
 public:
  AnnealedTarget(const DiscreteTarget& target, const FactorizedBase& base)
      : target_(target), base_(base) {
    // ∂ log p_n / ∂x: log p1 − log p0 per site (binary), log p per site and value (one-hot).
    base_grad_ = target.categorical() ? base.log_probs
                                      : base.log_probs.select(1, 1) - base.log_probs.select(1, 0);
  }
  void set_beta(double beta) { beta_ = beta; }
  std::string name() const override { return "annealed " + target_.name(); }
  int64_t num_sites() const override { return target_.num_sites(); }
  int64_t num_values() const override { return target_.num_values(); }
  bool categorical() const override { return target_.categorical(); }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override {
    return beta_ * target_.log_prob(x) + (1 - beta_) * base_.log_prob(x, categorical());
  }
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override {
    const LogProbAndGrad f = target_.log_prob_and_grad(x);
    return {beta_ * f.log_prob + (1 - beta_) * base_.log_prob(x, categorical()),
            beta_ * f.grad + (1 - beta_) * base_grad_.expand_as(x)};
  }
  torch::Tensor compute_local_differences(const torch::Tensor& x) const override {
    return beta_ * target_.local_differences(x) + (1 - beta_) * base_differences(x);
  }
  torch::Tensor compute_site_differences(const torch::Tensor& x,
                                         const torch::Tensor& sites) const override {
    const torch::Tensor base = base_differences(x);  // [chains, M]
    const int64_t width = categorical() ? num_values() : 1;
    const torch::Tensor columns =
        (sites.unsqueeze(1) * width + torch::arange(width, torch::kInt64)).to(torch::kInt64);
    return beta_ * target_.site_differences(x, sites) + (1 - beta_) * base.gather(1, columns);
  }

 private:
  /// log p_n(x′) − log p_n(x) for every single-site move, [chains, M] (move = site·K + value).
  torch::Tensor base_differences(const torch::Tensor& x) const {
    if (!categorical()) return (1 - 2 * x) * base_grad_;
    const torch::Tensor current = (x * base_.log_probs).sum(2, /*keepdim=*/true);  // [c, D, 1]
    return (base_.log_probs.unsqueeze(0) - current).reshape({x.size(0), -1});
  }

  const DiscreteTarget& target_;
  const FactorizedBase& base_;
  torch::Tensor base_grad_;
  double beta_ = 0;
};

void check_ais_options(const AisOptions& o) {
  if (o.steps < 1) throw InputError("needs at least 1 step", "--steps");
  if (o.chains < 2) throw InputError("needs at least 2 chains (for a standard error)", "--chains");
  if (o.sweeps < 1) throw InputError("needs at least 1 sweep per temperature", "--sweeps");
}

}  // namespace

torch::Tensor FactorizedBase::log_prob(const torch::Tensor& x, bool categorical) const {
  if (categorical) return (x * log_probs).sum({1, 2});
  return (x * log_probs.select(1, 1) + (1 - x) * log_probs.select(1, 0)).sum(1);
}

torch::Tensor FactorizedBase::sample(int64_t chains, bool categorical, Rng& rng) const {
  const int64_t sites = log_probs.size(0), values = log_probs.size(1);
  // Inversion per site: the first value whose cumulative probability exceeds u.
  const torch::Tensor cumulative = log_probs.exp().cumsum(1);         // [D, K]
  const torch::Tensor u = rng.uniform({chains, sites}).unsqueeze(2);  // [c, D, 1]
  const torch::Tensor index = (u > cumulative.unsqueeze(0)).sum(2).clamp_max(values - 1);  // [c, D]
  if (!categorical) return index.to(torch::kFloat64);
  return torch::one_hot(index, values).to(torch::kFloat64);
}

FactorizedBase uniform_base(const DiscreteTarget& target) {
  const double k = static_cast<double>(target.num_values());
  return {torch::full({target.num_sites(), target.num_values()}, -std::log(k), torch::kFloat64)};
}

FactorizedBase fitted_base(const DiscreteTarget& target, const torch::Tensor& states,
                           double smoothing) {
  target.check_states(states);
  if (!(smoothing > 0)) throw InputError("smoothing must be > 0", "--base");
  const torch::Tensor x = states.to(torch::kFloat64);
  const torch::Tensor counts =
      target.categorical() ? x.sum(0) : torch::stack({(1 - x).sum(0), x.sum(0)}, 1);  // [D, K]
  const double total =
      static_cast<double>(x.size(0)) + smoothing * static_cast<double>(target.num_values());
  return {((counts + smoothing) / total).log()};
}

BetaSchedule parse_beta_schedule(const std::string& text, const std::string& where) {
  if (text == "linear") return BetaSchedule::kLinear;
  if (text == "sigmoid") return BetaSchedule::kSigmoid;
  throw InputError("schedule must be linear|sigmoid, not '" + text + "'", where);
}

std::vector<double> beta_schedule(BetaSchedule schedule, int64_t steps) {
  std::vector<double> beta(static_cast<size_t>(steps + 1));
  const double delta = 4.0;
  const auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  const double lo = sigmoid(-delta), hi = sigmoid(delta);
  for (int64_t t = 0; t <= steps; ++t) {
    const double s = static_cast<double>(t) / static_cast<double>(steps);
    beta[static_cast<size_t>(t)] =
        schedule == BetaSchedule::kLinear ? s : (sigmoid(delta * (2 * s - 1)) - lo) / (hi - lo);
  }
  beta.front() = 0.0;
  beta.back() = 1.0;
  return beta;
}

AisResult annealed_importance_sampling(const DiscreteTarget& target, const FactorizedBase& base,
                                       const AisOptions& options, Rng& rng) {
  check_ais_options(options);
  if (base.log_probs.dim() != 2 || base.log_probs.size(0) != target.num_sites() ||
      base.log_probs.size(1) != target.num_values()) {
    throw InputError("the base does not match the target's sites and values", "--base");
  }
  std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(options.sampler);
  AnnealedTarget annealed(target, base);
  const std::vector<double> beta = beta_schedule(options.schedule, options.steps);
  torch::Tensor x = base.sample(options.chains, target.categorical(), rng);
  torch::Tensor log_w = torch::zeros({options.chains}, torch::kFloat64);
  torch::NoGradGuard no_grad;
  for (int64_t t = 1; t <= options.steps; ++t) {
    // w += (β_t − β_{t−1})(f(x) − log p_n(x)) at the state that the previous level left.
    const double step = beta[static_cast<size_t>(t)] - beta[static_cast<size_t>(t - 1)];
    log_w += step * (target.log_prob(x) - base.log_prob(x, target.categorical()));
    if (t == options.steps) break;  // the last level needs no transition
    annealed.set_beta(beta[static_cast<size_t>(t)]);
    State state = kernel->init(annealed, x);
    for (int64_t s = 0; s < options.sweeps; ++s) kernel->step(state, rng);
    x = state.x;
  }
  // No estimate from a non-finite weight: say which chains and why.
  const torch::Tensor bad = ~torch::isfinite(log_w);
  if (bad.any().item<bool>()) {
    throw RunFailed("the AIS weights of " + std::to_string(bad.sum().item<int64_t>()) + " of " +
                        std::to_string(options.chains) + " chains are not finite (first: chain " +
                        std::to_string(bad.nonzero()[0][0].item<int64_t>() + 1) +
                        "): the target's log-probability is not finite at their states",
                    "ais");
  }
  AisResult result;
  result.steps = options.steps;
  result.chains = options.chains;
  result.log_weights = log_w;
  result.states = x;
  const double top = log_w.max().item<double>();
  const torch::Tensor w = (log_w - top).exp();
  const double mean = w.mean().item<double>();
  result.log_z = top + std::log(mean);
  result.log_z_stderr =
      w.std().item<double>() / (std::sqrt(static_cast<double>(options.chains)) * mean);
  result.weights_ess = (w.sum().pow(2) / w.pow(2).sum()).item<double>();
  return result;
}

nlohmann::json AisResult::to_json() const {
  return {{"log_z", log_z},
          {"log_z_stderr", log_z_stderr},
          {"weights_ess", weights_ess},
          {"steps", steps},
          {"chains", chains}};
}

}  // namespace ebmc
