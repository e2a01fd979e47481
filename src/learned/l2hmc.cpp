#include "ebmc/learned/l2hmc.h"

#include <cmath>

#include "ebmc/adaptation/dual_averaging.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/learned/learned_registry.h"
#include "ebmc/learned/preconditioned_target.h"
#include "ebmc/samplers/leapfrog.h"
#include "ebmc/samplers/metric.h"

namespace ebmc {

const std::vector<std::string>& jump_measure_names() {
  static const std::vector<std::string> names = {"plain", "scaled", "both", "moments"};
  return names;
}

torch::Tensor l2hmc_jump_loss(JumpMeasure measure, double loss_scale, const torch::Tensor& x,
                              const torch::Tensor& proposal, const torch::Tensor& accept,
                              const torch::Tensor& chains) {
  // Eq. 4, λ²/(δA) − δA/λ² (a small constant keeps the reciprocal finite for a stuck chain).
  const double scale2 = loss_scale * loss_scale;
  auto eq4 = [scale2](const torch::Tensor& delta) {
    return scale2 / (delta + 1e-4) - delta / scale2;
  };
  const torch::Tensor squared = (proposal - x).pow(2);
  torch::Tensor loss;
  if (measure == JumpMeasure::kPlain || measure == JumpMeasure::kBoth) {
    loss = eq4(squared.sum(1) * accept);
  }
  if (measure == JumpMeasure::kPlain) return loss;
  // Each coordinate's variance over the training chains (all of them, also data-parallel; a
  // constant here: the chains carry no gradient).
  const torch::Tensor spread = chains.detach().var(0) + 1e-8;
  const torch::Tensor scaled = eq4((squared / spread).sum(1) * accept);
  loss = loss.defined() ? loss + scaled : scaled;
  if (measure == JumpMeasure::kMoments) {
    // ½Σ(z′² − z²)² with z standardized by the chains' moments: 2 per coordinate for independent
    // draws of a Gaussian, as the scaled jump; zero for z′ = −z.
    const torch::Tensor centre = chains.detach().mean(0);
    const torch::Tensor before = (x - centre).pow(2) / spread;
    const torch::Tensor after = (proposal - centre).pow(2) / spread;
    loss = loss + eq4(0.5 * (after - before).pow(2).sum(1) * accept);
  }
  return loss;
}

void L2hmcOptions::validate() const {
  if (leapfrog_steps_ < 1) throw InputError("leapfrog must be >= 1", "l2hmc:leapfrog");
  if (hidden_ < 1) throw InputError("hidden must be >= 1", "l2hmc:hidden");
  check_step_size(step_size_, "l2hmc:step_size");
  if (!(loss_scale_ > 0 && std::isfinite(loss_scale_))) {
    throw InputError("loss_scale must be > 0", "l2hmc:loss_scale");
  }
  if (hmc_steps_ < 0) throw InputError("hmc_steps must be >= 0", "l2hmc:hmc_steps");
  if (adapt_steps_ < 0) throw InputError("adapt_steps must be >= 0", "l2hmc:adapt_steps");
  if (!(jitter_ >= 0 && jitter_ < 1)) throw InputError("jitter must be in [0, 1)", "l2hmc:jitter");
  if (fit_factor_ && !precondition_) {
    throw InputError("fit_factor needs precondition=1", "l2hmc:fit_factor");
  }
  if (!(burn_in_weight_ >= 0 && std::isfinite(burn_in_weight_))) {
    throw InputError("burn_in must be >= 0", "l2hmc:burn_in");
  }
}

namespace {

/// τ(t) = (cos 2πt/M, sin 2πt/M) for t = 0 … M − 1 [M, 2].
torch::Tensor time_encodings(int64_t steps) {
  torch::Tensor tau = torch::empty({steps, 2}, torch::kFloat64);
  for (int64_t t = 0; t < steps; ++t) {
    const double angle = 2.0 * M_PI * static_cast<double>(t) / static_cast<double>(steps);
    tau[t][0] = std::cos(angle);
    tau[t][1] = std::sin(angle);
  }
  return tau;
}

}  // namespace

L2hmc::L2hmc(int64_t dim, L2hmcOptions options, Rng& rng) : LearnedKernel(dim), options_(options) {
  options_.validate();
  xnet_ = register_module("xnet", L2hmcNetwork(dim, options_.hidden(), rng));
  vnet_ = register_module("vnet", L2hmcNetwork(dim, options_.hidden(), rng));
  masks_ = register_buffer("masks", random_half_masks(options_.leapfrog_steps(), dim, rng));
  log_step_size_ = register_parameter(
      "log_step_size", torch::full({}, std::log(options_.step_size()), torch::kFloat64));
  time_encodings_ = time_encodings(options_.leapfrog_steps());
  factor_ = options_.precondition() ? LearnedFactor(*this, dim) : LearnedFactor::identity(dim);
  if (options_.fit_factor()) factor_.freeze();
}

double L2hmc::step_size() const { return std::exp(log_step_size_.item<double>()); }

nlohmann::json L2hmc::options_json() const { return options_to_json(options_); }

// With d = +1 the updates below are eqs. 1–3 written with the operations of `leapfrog()`
// (v·e^{hS} − h·P, since v − 0·P = v and 1·h = h exactly), so with Q = S = T = 0 every step
// reproduces HMC's leapfrog bit for bit; with d = −1 they are the exact inverses
// (v + h·P)·e^{−hS} (appendix C). Both directions run in one batch: one network evaluation and one
// gradient per step for all rows, half the operations of two half batches.
void L2hmc::momentum_step(L2hmcPoint& z, const torch::Tensor& tau, const Coefficients& half) {
  ScaleTranslation sqt = vnet_(z.x, z.grad, tau);
  const torch::Tensor push = z.grad * torch::exp(sqt.transform) + sqt.translate;
  z.v = (z.v + half.before * push) * torch::exp(half.sign * sqt.scale) - half.after * push;
  z.logdet = z.logdet + (half.sign * sqt.scale).sum(1);
}

void L2hmc::position_step(L2hmcPoint& z, const torch::Tensor& update, const torch::Tensor& tau,
                          const Coefficients& full) {
  const torch::Tensor keep = 1.0 - update;
  ScaleTranslation xs = xnet_(keep * z.x, z.v, tau);
  const torch::Tensor push = z.v * torch::exp(xs.transform) + xs.translate;
  const torch::Tensor moved =
      (z.x - full.before * push) * torch::exp(full.sign * xs.scale) + full.after * push;
  z.x = keep * z.x + update * moved;
  z.logdet = z.logdet + (full.sign * (update * xs.scale)).sum(1);
}

L2hmcPoint L2hmc::forward(const Target& target, const L2hmcPoint& start) {
  return transport(target, start, torch::ones({start.x.size(0)}, torch::kBool));
}

L2hmcPoint L2hmc::backward(const Target& target, const L2hmcPoint& start) {
  return transport(target, start, torch::zeros({start.x.size(0)}, torch::kBool));
}

// Row r runs t = 0 … M − 1 forward (momentum, x on m_t then on m̄_t, ∇U, momentum) when
// direction[r], else t = M − 1 … 0 backward (the inverses, x on m̄_t then on m_t).
L2hmcPoint L2hmc::transport(const Target& target, const L2hmcPoint& start,
                            const torch::Tensor& direction, const torch::Tensor& stretch) {
  const int64_t steps = options_.leapfrog_steps();
  const torch::Tensor ahead = direction.unsqueeze(1);  // [rows, 1]
  const torch::Tensor d = ahead.to(torch::kFloat64) * 2.0 - 1.0;
  auto coefficients = [&d](const torch::Tensor& h) {
    return Coefficients{d * h, (1.0 - d) * 0.5 * h, (1.0 + d) * 0.5 * h};
  };
  const torch::Tensor eps = stretch.defined() ? torch::exp(log_step_size_) * stretch.unsqueeze(1)
                                              : torch::exp(log_step_size_);
  const Coefficients full = coefficients(eps), half = coefficients(0.5 * eps);
  // The mask each row updates first at step n [steps, rows, dim]: m_n ahead, m̄_{M−1−n} behind.
  const torch::Tensor first_all =
      torch::where(ahead.unsqueeze(0), masks_.unsqueeze(1), (1.0 - masks_).flip(0).unsqueeze(1));
  L2hmcPoint z = start;
  z.logdet = torch::zeros({start.x.size(0)}, torch::kFloat64);
  for (int64_t n = 0; n < steps; ++n) {
    const torch::Tensor tau =
        torch::where(ahead, time_encodings_[n], time_encodings_[steps - 1 - n]);
    const torch::Tensor first = first_all[n];
    momentum_step(z, tau, half);  // eq. 1 (eq. 12 behind), ζ₁ = (x, ∂U(x), t)
    position_step(z, first, tau, full);
    position_step(z, 1.0 - first, tau, full);
    EnergyAndGrad eg = target.energy_and_grad(z.x);
    z.energy = eg.energy;
    z.grad = eg.grad;
    momentum_step(z, tau, half);  // eq. 3 (eq. 9 behind), ζ₄ = (x″, ∂U(x″), t)
  }
  return z;
}

torch::Tensor L2hmc::log_accept_ratio(const L2hmcPoint& start, const L2hmcPoint& proposal) {
  return start.energy + 0.5 * start.v.pow(2).sum(1) - proposal.energy -
         0.5 * proposal.v.pow(2).sum(1) + proposal.logdet;
}

bool L2hmc::takes_fused_path(const Target& target, const State& state, const Rng& rng) const {
  return rng.per_chain() && target.has_row_energy() && is_cpu_float64(state.x) &&
         is_cpu_float64(state.energy) && is_cpu_float64(state.grad);
}

Info L2hmc::fused_step(const Target& target, State& state, Rng& rng) {
  if (weights_changed()) {
    plain_.xnet = xnet_->plain();
    plain_.vnet = vnet_->plain();
    plain_.masks = to_vector(masks_);
    plain_.steps = options_.leapfrog_steps();
    plain_.dim = dim();
    plain_.log_step_size = log_step_size_.item<double>();
    plain_.hmc_steps = options_.hmc_steps();
    plain_.jitter = options_.jitter();
  }
  plain_.xnet.precision = plain_.vnet.precision = network_precision();
  Info info = chain_block_transitions(
      state, rng, kLockstepChains, kLockstepChains,
      [this] { return L2hmcChain(plain_, kLockstepChains); },
      [&target](L2hmcChain& chain, int64_t, int64_t count, const ChainRow* rows,
                ChainStream* streams,
                ChainDecision* decisions) { chain.step(target, count, rows, streams, decisions); });
  const int64_t evals = options_.leapfrog_steps() + options_.hmc_steps();
  info.energy_evals = evals * state.chains();
  info.gradient_evals = evals * state.chains();
  return info;
}

Info L2hmc::hmc_transition(const Target& target, State& state, Rng& rng) const {
  const DiagonalMetric unit = DiagonalMetric::identity(1, state.x.size(1));
  PhasePoint z = phase_point(state, unit.sample_momentum(state.x, rng));
  const torch::Tensor h0 = z.hamiltonian(unit);
  z = leapfrog(target, unit, z, torch::exp(log_step_size_).detach(), options_.hmc_steps());
  return accept_or_reject(state, State{z.x, z.energy, z.grad}, h0 - z.hamiltonian(unit), rng);
}

Info L2hmc::step(State& state, Rng& rng) {
  torch::NoGradGuard no_grad;
  return move(target(), state, rng);
}

Info L2hmc::move(const Target& target, State& state, Rng& rng) {
  if (!factor_.present()) return transition(target, state, rng);
  // In y = L⁻¹x; the rows that moved are mapped back (the others keep their x bit for bit).
  const PreconditionedTarget in_y(target, factor_, factor_.plain());
  State y{factor_.solve(state.x), state.energy, factor_.transposed_times(state.grad)};
  const torch::Tensor start = y.x.clone();
  Info info = transition(in_y, y, rng);
  const torch::Tensor moved = (y.x != start).any(1);
  select_rows(state, State{factor_.times(y.x), y.energy, factor_.transposed_solve(y.grad)}, moved);
  return info;
}

torch::Tensor L2hmc::stretch(const std::function<torch::Tensor(int64_t)>& uniform,
                             int64_t rows) const {
  const double j = options_.jitter();
  if (j == 0) return torch::Tensor();
  return 1.0 - j + 2.0 * j * uniform(rows);
}

Info L2hmc::transition(const Target& target, State& state, Rng& rng) {
  if (takes_fused_path(target, state, rng)) return fused_step(target, state, rng);
  const L2hmcPoint start{state.x, rng.normal(state.x.sizes()), state.energy, state.grad,
                         torch::Tensor()};
  const torch::Tensor direction = rng.uniform({state.chains()}) < 0.5;
  const torch::Tensor u = stretch([&rng](int64_t n) { return rng.uniform({n}); }, state.chains());
  const L2hmcPoint proposal = transport(target, start, direction, u);
  State proposed{proposal.x, proposal.energy, proposal.grad};
  Info info = accept_or_reject(state, proposed, log_accept_ratio(start, proposal), rng);
  if (options_.hmc_steps() > 0) hmc_transition(target, state, rng);
  const int64_t evals = options_.leapfrog_steps() + options_.hmc_steps();
  info.energy_evals = evals * state.chains();
  info.gradient_evals = evals * state.chains();
  return info;
}

void L2hmc::prepare_training(const Target& target, torch::Tensor& chains, Rng& rng) {
  if (options_.adapt_steps() == 0) return;
  torch::NoGradGuard no_grad;
  // Stan's dual averaging of log ε on the mean acceptance over the batch (one statistic per
  // transition), towards 0.65 as the papers' HMC baselines.
  DualAveraging adaptation(DualAveragingOptions().target_accept(0.65));
  adaptation.restart(torch::full({1}, step_size(), torch::kFloat64));
  const EnergyAndGrad eg = target.energy_and_grad(chains);
  State state{chains.detach().clone(), eg.energy, eg.grad};
  for (int64_t t = 0; t < options_.adapt_steps(); ++t) {
    if (options_.fit_factor()) factor_.fit(state.x, "l2hmc:fit_factor");
    const Info info = move(target, state, rng);
    const double next = adaptation.update(info.accept_prob.mean().reshape({1})).item<double>();
    log_step_size_.fill_(std::log(next));
  }
  log_step_size_.fill_(std::log(adaptation.final_step_size().item<double>()));
  chains = state.x;
}

TrainingLoss L2hmc::training_loss(const Target& target, torch::Tensor& chains,
                                  const torch::Tensor& fresh, Rng& rng, const BatchShare& share) {
  // Both terms of eq. 5 in one batch: this process's training chains (rows < n) and fresh draws.
  const torch::Tensor mine = share.take(chains);
  const int64_t n = mine.size(0);
  if (options_.jump() != JumpMeasure::kPlain && chains.size(0) < 2) {
    throw InputError(
        "jump=scaled|both|moments estimate each coordinate's spread from the training chains: "
        "needs --batch >= 2",
        "l2hmc:jump");
  }
  // Without the burn-in term the fresh draws are not needed (half the batch).
  const bool burn_in = options_.burn_in_weight() > 0;
  const torch::Tensor x = burn_in ? torch::cat({mine, share.take(fresh)}) : mine;
  if (options_.fit_factor()) factor_.fit(chains, "l2hmc:fit_factor");
  EnergyAndGrad eg = target.energy_and_grad(x);
  // With a preconditioner the kernel moves y = L⁻¹x on U(Ly) (differentiable in L), the loss
  // measuring the jumps in x; without one every factor_ operation is the identity.
  const PreconditionedTarget in_y(target, factor_, factor_.plain());
  const Target& moved_on = factor_.present() ? static_cast<const Target&>(in_y) : target;
  const L2hmcPoint start{factor_.solve(x), share.normal(rng, x.sizes()), eg.energy,
                         factor_.transposed_times(eg.grad), torch::Tensor()};
  const torch::Tensor direction = share.uniform(rng, {x.size(0)}) < 0.5;
  const torch::Tensor u =
      stretch([&](int64_t rows) { return share.uniform(rng, {rows}); }, x.size(0));
  const L2hmcPoint proposal = transport(moved_on, start, direction, u);
  const torch::Tensor proposal_x = factor_.times(proposal.x);
  const torch::Tensor log_accept = log_accept_probability(log_accept_ratio(start, proposal));
  const torch::Tensor accept = torch::exp(log_accept);
  // The plain ESJD, reported only (no graph).
  const torch::Tensor jump = ((proposal_x - x).pow(2).sum(1) * accept).detach();
  const torch::Tensor loss =
      l2hmc_jump_loss(options_.jump(), options_.loss_scale(), x, proposal_x, accept, chains);
  TrainingLoss result;
  result.loss = share.mean(loss.narrow(0, 0, n));
  if (burn_in) {
    result.loss = result.loss + options_.burn_in_weight() * share.mean(loss.narrow(0, n, n));
  }
  const std::vector<double> means =
      share.batch_means({accept.narrow(0, 0, n), jump.narrow(0, 0, n)});
  result.accept = means[0];
  result.esjd = means[1];
  // The per-chain draws below go through this rank's view of the stream.
  Rng rows = share.rows_of(rng);
  torch::Tensor advanced =
      advance_training_chains(mine, proposal_x.narrow(0, 0, n), log_accept.narrow(0, 0, n), rows);
  if (options_.hmc_steps() > 0) {
    torch::NoGradGuard no_grad;
    const EnergyAndGrad here = target.energy_and_grad(advanced);
    State state{factor_.solve(advanced), here.energy, factor_.transposed_times(here.grad)};
    hmc_transition(moved_on, state, rows);
    advanced = factor_.times(state.x);
  }
  chains = share.gather(advanced);
  return result;
}

EBMC_REGISTER((register_learned_kernel<L2hmc, L2hmcOptions>(
    "l2hmc", "L2HMC (Levy et al. 2018): HMC with a learned generalized leapfrog")));

}  // namespace ebmc
