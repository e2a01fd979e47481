#include "ebmc/learned/l2hmc.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/learned/learned_registry.h"

namespace ebmc {

void L2hmcOptions::validate() const {
  if (leapfrog_steps_ < 1) throw InputError("leapfrog must be >= 1", "l2hmc:leapfrog");
  if (hidden_ < 1) throw InputError("hidden must be >= 1", "l2hmc:hidden");
  check_step_size(step_size_, "l2hmc:step_size");
  if (!(loss_scale_ > 0 && std::isfinite(loss_scale_))) {
    throw InputError("loss_scale must be > 0", "l2hmc:loss_scale");
  }
  if (!(burn_in_weight_ >= 0 && std::isfinite(burn_in_weight_))) {
    throw InputError("burn_in must be >= 0", "l2hmc:burn_in");
  }
}

L2hmc::L2hmc(int64_t dim, L2hmcOptions options, Rng& rng) : LearnedKernel(dim), options_(options) {
  options_.validate();
  xnet_ = register_module("xnet", L2hmcNetwork(dim, options_.hidden(), rng));
  vnet_ = register_module("vnet", L2hmcNetwork(dim, options_.hidden(), rng));
  masks_ = register_buffer("masks", random_half_masks(options_.leapfrog_steps(), dim, rng));
  log_step_size_ = register_parameter(
      "log_step_size", torch::full({}, std::log(options_.step_size()), torch::kFloat64));
}

double L2hmc::step_size() const { return std::exp(log_step_size_.item<double>()); }

nlohmann::json L2hmc::options_json() const { return options_to_json(options_); }

torch::Tensor L2hmc::time_encoding(int64_t t) const {
  const double angle =
      2.0 * M_PI * static_cast<double>(t) / static_cast<double>(options_.leapfrog_steps());
  return torch::tensor({std::cos(angle), std::sin(angle)}, torch::kFloat64);
}

void L2hmc::momentum_step(L2hmcPoint& z, const torch::Tensor& tau, const torch::Tensor& half_eps) {
  ScaleTranslation sqt = vnet_(z.x, z.grad, tau);
  z.v = torch::addcmul(z.v * torch::exp(half_eps * sqt.scale), half_eps,
                       z.grad * torch::exp(sqt.transform) + sqt.translate, -1.0);
  z.logdet = z.logdet + half_eps * sqt.scale.sum(1);
}

// The networks see (x, ∂U(x), t), which the momentum update does not change.
void L2hmc::momentum_step_inverse(L2hmcPoint& z, const torch::Tensor& tau,
                                  const torch::Tensor& half_eps) {
  ScaleTranslation sqt = vnet_(z.x, z.grad, tau);
  z.v = (z.v + half_eps * (z.grad * torch::exp(sqt.transform) + sqt.translate)) *
        torch::exp(-half_eps * sqt.scale);
  z.logdet = z.logdet - half_eps * sqt.scale.sum(1);
}

// The updates are written with the same fused multiply-adds as `leapfrog()` so that with
// Q = S = T = 0 (exp(0) = 1, + 0) every step reproduces HMC's leapfrog bit for bit.
L2hmcPoint L2hmc::forward(const Target& target, const L2hmcPoint& start) {
  const torch::Tensor eps = torch::exp(log_step_size_);
  const torch::Tensor half_eps = 0.5 * eps;
  L2hmcPoint z = start;
  z.logdet = torch::zeros({start.x.size(0)}, torch::kFloat64);
  for (int64_t t = 0; t < options_.leapfrog_steps(); ++t) {
    const torch::Tensor tau = time_encoding(t);
    const torch::Tensor m = masks_[t];
    const torch::Tensor m_bar = 1.0 - m;
    momentum_step(z, tau, half_eps);  // eq. 1, ζ₁ = (x, ∂U(x), t)
    // Eq. 2: x on m (ζ₂ = (x ⊙ m̄, v, t)), then on m̄ (ζ₃ = (x′ ⊙ m, v, t)).
    for (const torch::Tensor& update : {m, m_bar}) {
      const torch::Tensor keep = 1.0 - update;
      ScaleTranslation xs = xnet_(keep * z.x, z.v, tau);
      const torch::Tensor moved = torch::addcmul(z.x * torch::exp(eps * xs.scale), eps,
                                                 z.v * torch::exp(xs.transform) + xs.translate);
      z.x = keep * z.x + update * moved;
      z.logdet = z.logdet + eps * (update * xs.scale).sum(1);
    }
    EnergyAndGrad eg = target.energy_and_grad(z.x);
    z.energy = eg.energy;
    z.grad = eg.grad;
    momentum_step(z, tau, half_eps);  // eq. 3, ζ₄ = (x″, ∂U(x″), t)
  }
  return z;
}

L2hmcPoint L2hmc::backward(const Target& target, const L2hmcPoint& start) {
  const torch::Tensor eps = torch::exp(log_step_size_);
  const torch::Tensor half_eps = 0.5 * eps;
  L2hmcPoint z = start;
  z.logdet = torch::zeros({start.x.size(0)}, torch::kFloat64);
  for (int64_t t = options_.leapfrog_steps() - 1; t >= 0; --t) {
    const torch::Tensor tau = time_encoding(t);
    const torch::Tensor m = masks_[t];
    const torch::Tensor m_bar = 1.0 - m;
    momentum_step_inverse(z, tau, half_eps);  // eq. 12
    // Inverse of eq. 2 (eqs. 10–11): undo the m̄ update, then the m update.
    for (const torch::Tensor& update : {m_bar, m}) {
      const torch::Tensor keep = 1.0 - update;
      ScaleTranslation xs = xnet_(keep * z.x, z.v, tau);
      const torch::Tensor restored = (z.x - eps * (z.v * torch::exp(xs.transform) + xs.translate)) *
                                     torch::exp(-eps * xs.scale);
      z.x = keep * z.x + update * restored;
      z.logdet = z.logdet - eps * (update * xs.scale).sum(1);
    }
    EnergyAndGrad eg = target.energy_and_grad(z.x);
    z.energy = eg.energy;
    z.grad = eg.grad;
    momentum_step_inverse(z, tau, half_eps);  // eq. 9
  }
  return z;
}

L2hmcPoint L2hmc::transport(const Target& target, const L2hmcPoint& start,
                            const torch::Tensor& direction) {
  const torch::Tensor forward_rows = direction.nonzero().squeeze(1);
  const torch::Tensor backward_rows = direction.logical_not().nonzero().squeeze(1);
  auto rows = [&start](const torch::Tensor& index) {
    return L2hmcPoint{start.x.index_select(0, index), start.v.index_select(0, index),
                      start.energy.index_select(0, index), start.grad.index_select(0, index),
                      torch::Tensor()};
  };
  L2hmcPoint ahead = forward(target, rows(forward_rows));
  L2hmcPoint behind = backward(target, rows(backward_rows));
  // Reassemble in chain order: position i of cat(ahead, behind) holds chain order[i].
  const torch::Tensor inverse =
      torch::argsort(torch::cat({forward_rows, backward_rows}), int64_t{0});
  auto merge = [&inverse](const torch::Tensor& a, const torch::Tensor& b) {
    return torch::cat({a, b}).index_select(0, inverse);
  };
  return {merge(ahead.x, behind.x), merge(ahead.v, behind.v), merge(ahead.energy, behind.energy),
          merge(ahead.grad, behind.grad), merge(ahead.logdet, behind.logdet)};
}

torch::Tensor L2hmc::log_accept_ratio(const L2hmcPoint& start, const L2hmcPoint& proposal) {
  return start.energy + 0.5 * start.v.pow(2).sum(1) - proposal.energy -
         0.5 * proposal.v.pow(2).sum(1) + proposal.logdet;
}

bool L2hmc::takes_fused_path(const State& state, const Rng& rng) const {
  return rng.per_chain() && target().has_row_energy() && is_cpu_float64(state.x) &&
         is_cpu_float64(state.energy) && is_cpu_float64(state.grad);
}

Info L2hmc::fused_step(State& state, Rng& rng) {
  if (weights_changed()) {
    plain_ = {xnet_->plain(),
              vnet_->plain(),
              to_vector(masks_),
              options_.leapfrog_steps(),
              dim(),
              log_step_size_.item<double>()};
  }
  const Target& target = this->target();
  Info info = per_chain_transitions(
      state, rng, 1, [this] { return L2hmcChain(plain_); },
      [&target](L2hmcChain& chain, int64_t, const ChainRow& row, ChainStream& stream) {
        return chain.step(target, row, stream);
      });
  info.energy_evals = options_.leapfrog_steps() * state.chains();
  info.gradient_evals = options_.leapfrog_steps() * state.chains();
  return info;
}

Info L2hmc::step(State& state, Rng& rng) {
  torch::NoGradGuard no_grad;
  if (takes_fused_path(state, rng)) return fused_step(state, rng);
  const L2hmcPoint start{state.x, rng.normal(state.x.sizes()), state.energy, state.grad,
                         torch::Tensor()};
  const torch::Tensor direction = rng.uniform({state.chains()}) < 0.5;
  const L2hmcPoint proposal = transport(target(), start, direction);
  State proposed{proposal.x, proposal.energy, proposal.grad};
  Info info = accept_or_reject(state, proposed, log_accept_ratio(start, proposal), rng);
  info.energy_evals = options_.leapfrog_steps() * state.chains();
  info.gradient_evals = options_.leapfrog_steps() * state.chains();
  return info;
}

TrainingLoss L2hmc::training_loss(const Target& target, torch::Tensor& chains,
                                  const torch::Tensor& fresh, Rng& rng) {
  // Both terms of eq. 5 in one batch: the training chains (rows < n) and the fresh draws.
  const int64_t n = chains.size(0);
  const torch::Tensor x = torch::cat({chains, fresh});
  EnergyAndGrad eg = target.energy_and_grad(x);
  const L2hmcPoint start{x, rng.normal(x.sizes()), eg.energy, eg.grad, torch::Tensor()};
  const L2hmcPoint proposal = transport(target, start, rng.uniform({x.size(0)}) < 0.5);
  const torch::Tensor log_accept = log_accept_probability(log_accept_ratio(start, proposal));
  const torch::Tensor jump = (proposal.x - x).pow(2).sum(1) * torch::exp(log_accept);
  // Eq. 4: λ²/(δA) − δA/λ² (a small constant keeps the reciprocal finite for a stuck chain).
  const double scale2 = options_.loss_scale() * options_.loss_scale();
  const torch::Tensor loss = scale2 / (jump + 1e-4) - jump / scale2;
  TrainingLoss result;
  result.loss = loss.narrow(0, 0, n).mean() +
                options_.burn_in_weight() * loss.narrow(0, n, fresh.size(0)).mean();
  result.accept = torch::exp(log_accept.narrow(0, 0, n)).mean().item<double>();
  result.esjd = jump.narrow(0, 0, n).mean().item<double>();
  chains =
      advance_training_chains(chains, proposal.x.narrow(0, 0, n), log_accept.narrow(0, 0, n), rng);
  return result;
}

EBMC_REGISTER((register_learned_kernel<L2hmc, L2hmcOptions>(
    "l2hmc", "L2HMC (Levy et al. 2018): HMC with a learned generalized leapfrog")));

}  // namespace ebmc
