#include "ebmc/learned/entropy_sampler.h"

#include <algorithm>
#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/learned/learned_registry.h"

namespace ebmc {

const std::vector<std::string>& entropy_variant_names() {
  static const std::vector<std::string> names = {"full", "nograd", "langevin"};
  return names;
}

EntropyVariant parse_entropy_variant(const std::string& text) {
  const auto& names = entropy_variant_names();
  const auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) {
    throw InputError("variant must be full, nograd or langevin, got '" + text + "'",
                     "entropy:variant");
  }
  return static_cast<EntropyVariant>(it - names.begin());
}

std::string entropy_variant_name(EntropyVariant variant) {
  return entropy_variant_names().at(static_cast<size_t>(variant));
}

void EntropySamplerOptions::validate() const {
  if (width_ < 1) throw InputError("width must be >= 1", "entropy:width");
  if (coupling_steps_ < 1) throw InputError("steps must be >= 1", "entropy:steps");
  check_step_size(step_size_, "entropy:step_size");
  if (!(target_accept_ > 0 && target_accept_ < 1)) {
    throw InputError("target_accept must be in (0, 1)", "entropy:target_accept");
  }
  if (!(beta_rate_ >= 0 && std::isfinite(beta_rate_))) {
    throw InputError("beta_rate must be >= 0", "entropy:beta_rate");
  }
}

EntropySampler::EntropySampler(int64_t dim, EntropySamplerOptions options, Rng& rng)
    : LearnedKernel(dim), options_(options) {
  options_.validate();
  const int64_t steps = options_.coupling_steps();
  const int64_t width = options_.width();
  coupling_ = register_module("coupling", StepIndexedMlp(steps, 3 * dim, width, 3 * dim, rng));
  base_scale_ = register_module("base_scale", StepIndexedMlp(1, 2 * dim, width, dim, rng));
  if (options_.variant() == EntropyVariant::kLangevin) {
    langevin_ = register_module("langevin", StepIndexedMlp(1, dim, width, 2 * dim, rng));
  }
  masks_ = register_buffer("masks", random_half_masks(steps, dim, rng));
  log_beta_ = register_buffer("log_beta", torch::zeros({}, torch::kFloat64));
  factor_ = options_.precondition() ? LearnedFactor(*this, dim) : LearnedFactor::identity(dim);
}

torch::Tensor EntropySampler::factor() const { return factor_.matrix(); }

void EntropySampler::set_factor(const torch::Tensor& lower) {
  factor_.set(lower, "entropy:precondition");
}

nlohmann::json EntropySampler::options_json() const { return options_to_json(options_); }

torch::Tensor EntropySampler::coupling_gradient(const Target& target, const torch::Tensor& y,
                                                int64_t& gradient_evals) const {
  if (options_.variant() != EntropyVariant::kFull) return torch::zeros_like(y);
  ++gradient_evals;
  return factor_.transposed_times(target.energy_and_grad(y).grad);
}

torch::Tensor EntropySampler::base_log_scale(const torch::Tensor& x, const torch::Tensor& grad) {
  const torch::Tensor g = options_.variant() == EntropyVariant::kFull
                              ? factor_.transposed_times(grad)
                              : torch::zeros_like(x);
  return base_scale_(0, torch::cat({x, g}, 1));
}

torch::Tensor EntropySampler::drift(const torch::Tensor& x, const torch::Tensor& grad) {
  if (options_.variant() != EntropyVariant::kLangevin) return torch::zeros_like(x);
  std::vector<torch::Tensor> st = langevin_(0, x).chunk(2, 1);
  const double eps = options_.step_size();
  return -0.5 * eps * eps * grad * torch::exp(st[0]) + st[1];
}

EntropyProposal EntropySampler::propose(const Target& target, const torch::Tensor& x,
                                        const torch::Tensor& grad, const torch::Tensor& base) {
  const double eps = options_.step_size();
  EntropyProposal out;
  out.base = base;
  const torch::Tensor log_r = base_log_scale(x, grad);
  torch::Tensor z = base * torch::exp(log_r);
  out.log_det = log_r.sum(1);
  for (int64_t n = 0; n < options_.coupling_steps(); ++n) {
    const torch::Tensor m = masks_[n];
    for (const torch::Tensor& update : {m, 1.0 - m}) {
      const torch::Tensor kept = (1.0 - update) * z;
      const torch::Tensor g =
          coupling_gradient(target, x + eps * factor_.times(kept), out.gradient_evals);
      ScaleTranslation sqt = split_scale_translation(coupling_(n, torch::cat({x, kept, g}, 1)));
      const torch::Tensor moved =
          z * torch::exp(sqt.scale) - 0.5 * eps * (g * torch::exp(sqt.transform) + sqt.translate);
      z = kept + update * moved;
      out.log_det = out.log_det + (update * sqt.scale).sum(1);
    }
  }
  out.x = x + eps * factor_.times(z) + drift(x, grad);
  out.log_det = out.log_det + factor_.log_det();
  out.log_q = standard_normal_log_density(base) - out.log_det -
              static_cast<double>(x.size(1)) * std::log(eps);
  return out;
}

EntropyProposal EntropySampler::log_density(const Target& target, const torch::Tensor& x,
                                            const torch::Tensor& grad,
                                            const torch::Tensor& x_next) {
  const double eps = options_.step_size();
  EntropyProposal out;
  out.x = x_next;
  torch::Tensor z = (x_next - x - drift(x, grad)) / eps;
  out.log_det = torch::zeros({x.size(0)}, x.options());
  z = factor_.solve(z);  // z L^T = (x′ − x − drift)/ε
  out.log_det = out.log_det + factor_.log_det();
  for (int64_t n = options_.coupling_steps() - 1; n >= 0; --n) {
    const torch::Tensor m = masks_[n];
    for (const torch::Tensor& update : {1.0 - m, m}) {
      const torch::Tensor kept = (1.0 - update) * z;
      const torch::Tensor g =
          coupling_gradient(target, x + eps * factor_.times(kept), out.gradient_evals);
      ScaleTranslation sqt = split_scale_translation(coupling_(n, torch::cat({x, kept, g}, 1)));
      const torch::Tensor restored =
          (z + 0.5 * eps * (g * torch::exp(sqt.transform) + sqt.translate)) *
          torch::exp(-sqt.scale);
      z = kept + update * restored;
      out.log_det = out.log_det + (update * sqt.scale).sum(1);
    }
  }
  const torch::Tensor log_r = base_log_scale(x, grad);
  out.base = z * torch::exp(-log_r);
  out.log_det = out.log_det + log_r.sum(1);
  out.log_q = standard_normal_log_density(out.base) - out.log_det -
              static_cast<double>(x.size(1)) * std::log(eps);
  return out;
}

EntropySampler::Transition EntropySampler::transition(const Target& target, const torch::Tensor& x,
                                                      const EnergyAndGrad& here, Rng& rng) {
  Transition t;
  t.forward = propose(target, x, here.grad, rng.normal(x.sizes()));
  t.next = evaluate(target, t.forward.x);
  const EntropyProposal reverse = log_density(target, t.forward.x, t.next.grad, x);
  t.log_ratio = here.energy - t.next.energy + reverse.log_q - t.forward.log_q;
  t.gradient_evals = t.forward.gradient_evals + 1 + reverse.gradient_evals;
  return t;
}

int64_t EntropySampler::gradient_evals_per_transition() const {
  switch (options_.variant()) {
    case EntropyVariant::kFull:
      return 4 * options_.coupling_steps() + 1;
    case EntropyVariant::kLangevin:
      return 1;
    case EntropyVariant::kNoGrad:
      break;
  }
  return 0;
}

bool EntropySampler::takes_fused_path(const State& state, const Rng& rng) const {
  return rng.per_chain() && target().has_row_energy() && is_cpu_float64(state.x) &&
         is_cpu_float64(state.energy) && (!uses_gradient() || is_cpu_float64(state.grad));
}

Info EntropySampler::fused_step(State& state, Rng& rng) {
  if (weights_changed()) {
    plain_.coupling = coupling_->plain();
    plain_.base_scale = base_scale_->plain();
    if (langevin_) plain_.langevin = langevin_->plain();
    plain_.masks = to_vector(masks_);
    plain_.steps = options_.coupling_steps();
    plain_.dim = dim();
    plain_.step_size = options_.step_size();
    plain_.coupling_gradient = options_.variant() == EntropyVariant::kFull;
    plain_.has_drift = options_.variant() == EntropyVariant::kLangevin;
    plain_.factor = factor_.plain();
  }
  for (StepIndexedMlpImpl::Plain* net : {&plain_.coupling, &plain_.base_scale, &plain_.langevin}) {
    net->precision = network_precision();
  }
  const Target& target = this->target();
  return chain_block_transitions(
      state, rng, kLockstepChains, kLockstepChains,
      [this] { return EntropyChain(plain_, kLockstepChains); },
      [&target](EntropyChain& chain, int64_t, int64_t count, const ChainRow* rows,
                ChainStream* streams,
                ChainDecision* decisions) { chain.step(target, count, rows, streams, decisions); });
}

Info EntropySampler::step(State& state, Rng& rng) {
  torch::NoGradGuard no_grad;
  Info info;
  if (takes_fused_path(state, rng)) {
    info = fused_step(state, rng);
  } else {
    const Transition t = transition(target(), state.x, {state.energy, state.grad}, rng);
    info =
        accept_or_reject(state, State{t.forward.x, t.next.energy, t.next.grad}, t.log_ratio, rng);
  }
  const int64_t gradient_evals = gradient_evals_per_transition();
  info.energy_evals = (uses_gradient() ? gradient_evals : 1) * state.chains();
  info.gradient_evals = gradient_evals * state.chains();
  return info;
}

TrainingLoss EntropySampler::training_loss(const Target& target, torch::Tensor& chains,
                                           const torch::Tensor& /*fresh*/, Rng& rng,
                                           const BatchShare& share) {
  const torch::Tensor x = share.take(chains);
  // Data-parallel: the per-chain draws go through this rank's view of the stream.
  Rng rows = share.rows_of(rng);
  const Transition t = transition(target, x, evaluate(target, x), rows);
  const EntropyProposal& forward = t.forward;
  const torch::Tensor log_accept = log_accept_probability(t.log_ratio);
  // H(q(·|x)) = −E log q(x′|x); its reparameterized estimate differs from −log q only by the
  // parameter-free log N(z₀).
  const torch::Tensor entropy = -forward.log_q;
  const double beta = this->beta();
  // A proposal rejected for sure (log a = −∞, e.g. non-finite energy) adds nothing instead of
  // making the loss infinite; finite log a is used unclamped, so that a collapsing acceptance
  // pulls the proposal back with its full gradient.
  const torch::Tensor finite_log_accept =
      torch::where(torch::isfinite(log_accept), log_accept, torch::zeros_like(log_accept));
  const torch::Tensor objective = share.mean(entropy) + beta * share.mean(finite_log_accept);
  TrainingLoss result;
  result.loss = -objective;
  const torch::Tensor accept = torch::exp(log_accept.detach());
  // Batch statistics (also β's update) are the whole batch's, on every rank.
  const std::vector<double> means =
      share.batch_means({accept, (forward.x.detach() - x).pow(2).sum(1) * accept, entropy});
  result.accept = means[0];
  result.esjd = means[1];
  result.entropy = means[2];
  {
    torch::NoGradGuard no_grad;
    log_beta_.add_(options_.beta_rate() * (options_.target_accept() - result.accept));
  }
  chains = share.gather(advance_training_chains(x, forward.x, log_accept, rows));
  return result;
}

EBMC_REGISTER((register_learned_kernel<EntropySampler, EntropySamplerOptions>(
    "entropy", "proposal-entropy neural sampler (Li, Chen & Sommer 2021)")));

}  // namespace ebmc
