#include "ebmc/samplers/nuts.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void NutsOptions::validate() const {
  check_step_size(step_size(), "nuts:step_size");
  if (max_depth() < 1 || max_depth() > 30) {
    throw InputError("max_depth must be in [1, 30]", "nuts:max_depth");
  }
  if (!(max_delta_h() > 0)) throw InputError("max_delta_h must be > 0", "nuts:max_delta_h");
}

/// What one transition carries while it builds its trajectory.
struct Nuts::Trajectory {
  PhasePoint z;                  ///< the frontier being integrated, every chain
  torch::Tensor step;            ///< signed step size per chain (direction × ε)
  torch::Tensor h0;              ///< initial Hamiltonian
  torch::Tensor n_leapfrog;      ///< leapfrog steps taken by building chains, [chains] int64
  torch::Tensor sum_metro_prob;  ///< Σ min(1, exp(H0 − H)) over those steps
  torch::Tensor divergent;       ///< [chains] bool
};

/// A subtree's summary, as Stan's build_tree returns it through its arguments.
struct Nuts::Subtree {
  PhasePoint proposal;
  torch::Tensor p_sharp_begin, p_sharp_end, p_begin, p_end, rho;
  torch::Tensor log_sum_weight;
  torch::Tensor valid;
};

namespace {

/// Generalized no-U-turn criterion: both ends' velocities point along the summed momentum.
torch::Tensor no_u_turn(const torch::Tensor& p_sharp_minus, const torch::Tensor& p_sharp_plus,
                        const torch::Tensor& rho) {
  return ((p_sharp_plus * rho).sum(1) > 0) & ((p_sharp_minus * rho).sum(1) > 0);
}

torch::Tensor rows(const torch::Tensor& mask, const torch::Tensor& a, const torch::Tensor& b) {
  return where_rows(mask, a, b);
}

PhasePoint rows(const torch::Tensor& mask, const PhasePoint& a, const PhasePoint& b) {
  return {rows(mask, a.x, b.x), rows(mask, a.p, b.p), rows(mask, a.energy, b.energy),
          rows(mask, a.grad, b.grad)};
}

}  // namespace

Nuts::Nuts(NutsOptions options) : options_(options) { options_.validate(); }

State Nuts::init(const Target& target, const torch::Tensor& x0) {
  return init_with_gradient(target, x0, options_.step_size());
}

torch::Tensor Nuts::probe_log_accept(const State& state, const torch::Tensor& step_size, Rng& rng) {
  return leapfrog_probe_log_accept(target(), tuning_.metric, state, step_size, rng);
}

void Nuts::leapfrog_active(Trajectory& t, const torch::Tensor& active) {
  const int64_t n_active = active.sum().item<int64_t>();
  if (n_active == active.size(0)) {
    t.z = leapfrog(target(), tuning_.metric, t.z, t.step);
    return;
  }
  if (n_active == 0) return;
  // Only chains still building are integrated; the others keep their frontier.
  torch::Tensor index = active.nonzero().squeeze(1);
  PhasePoint sub{t.z.x.index_select(0, index), t.z.p.index_select(0, index),
                 t.z.energy.index_select(0, index), t.z.grad.index_select(0, index)};
  DiagonalMetric metric{tuning_.metric.inverse.size(0) == 1
                            ? tuning_.metric.inverse
                            : tuning_.metric.inverse.index_select(0, index)};
  PhasePoint moved = leapfrog(target(), metric, sub, t.step.index_select(0, index));
  t.z.x = t.z.x.index_copy(0, index, moved.x);
  t.z.p = t.z.p.index_copy(0, index, moved.p);
  t.z.energy = t.z.energy.index_copy(0, index, moved.energy);
  t.z.grad = t.z.grad.index_copy(0, index, moved.grad);
}

Nuts::Subtree Nuts::build_tree(int64_t depth, Trajectory& t, const torch::Tensor& active,
                               Rng& rng) {
  if (depth == 0) {
    leapfrog_active(t, active);
    const torch::Tensor h = t.z.hamiltonian(tuning_.metric);
    const torch::Tensor log_weight = t.h0 - h;
    const torch::Tensor divergent = active & ((h - t.h0) > options_.max_delta_h());
    t.divergent |= divergent;
    t.n_leapfrog += active.to(torch::kInt64);
    t.sum_metro_prob += torch::where(active, torch::exp(torch::clamp_max(log_weight, 0.0)),
                                     torch::zeros_like(log_weight));
    Subtree leaf;
    leaf.proposal = t.z;
    leaf.p_sharp_begin = tuning_.metric.velocity(t.z.p);
    leaf.p_sharp_end = leaf.p_sharp_begin;
    leaf.rho = t.z.p;
    leaf.p_begin = t.z.p;
    leaf.p_end = t.z.p;
    leaf.log_sum_weight = log_weight;
    leaf.valid = torch::logical_not(divergent);
    return leaf;
  }
  Subtree init = build_tree(depth - 1, t, active, rng);
  const torch::Tensor still_active = active & init.valid;
  Subtree final = build_tree(depth - 1, t, still_active, rng);

  Subtree merged;
  merged.log_sum_weight = torch::logaddexp(init.log_sum_weight, final.log_sum_weight);
  // Uniform sampling within the subtree: take the final half with its share of the weight.
  const torch::Tensor take_final =
      rng.uniform({active.size(0)}) < torch::exp(final.log_sum_weight - merged.log_sum_weight);
  merged.proposal = rows(take_final, final.proposal, init.proposal);
  merged.rho = init.rho + final.rho;
  merged.p_sharp_begin = init.p_sharp_begin;
  merged.p_sharp_end = final.p_sharp_end;
  merged.p_begin = init.p_begin;
  merged.p_end = final.p_end;
  torch::Tensor persist = no_u_turn(init.p_sharp_begin, final.p_sharp_end, merged.rho);
  persist &= no_u_turn(init.p_sharp_begin, final.p_sharp_begin, init.rho + final.p_begin);
  persist &= no_u_turn(init.p_sharp_end, final.p_sharp_end, final.rho + init.p_end);
  merged.valid = init.valid & final.valid & persist;
  return merged;
}

Info Nuts::step(State& state, Rng& rng) {
  const int64_t chains = state.chains();
  const DiagonalMetric& metric = tuning_.metric;
  const torch::Tensor p0 = metric.sample_momentum(state.x, rng);
  Trajectory t;
  t.z = phase_point(state, p0);
  t.h0 = t.z.hamiltonian(metric);
  t.n_leapfrog = torch::zeros({chains}, torch::kInt64);
  t.sum_metro_prob = torch::zeros({chains}, torch::kFloat64);
  t.divergent = torch::zeros({chains}, torch::kBool);

  PhasePoint z_forward = t.z, z_backward = t.z, z_sample = t.z;
  const torch::Tensor p_sharp0 = metric.velocity(p0);
  // Momenta and velocities at both ends of the forward and backward halves.
  torch::Tensor p_fwd_fwd = p0, p_sharp_fwd_fwd = p_sharp0, p_fwd_bck = p0,
                p_sharp_fwd_bck = p_sharp0, p_bck_fwd = p0, p_sharp_bck_fwd = p_sharp0,
                p_bck_bck = p0, p_sharp_bck_bck = p_sharp0;
  torch::Tensor rho = p0;
  torch::Tensor log_sum_weight = torch::zeros({chains}, torch::kFloat64);
  torch::Tensor active = torch::ones({chains}, torch::kBool);
  torch::Tensor depth = torch::zeros({chains}, torch::kInt64);

  for (int64_t d = 0; d < options_.max_depth(); ++d) {
    if (!active.any().item<bool>()) break;
    const torch::Tensor forward = rng.uniform({chains}) > 0.5;
    t.step = torch::where(forward, tuning_.step_size, -tuning_.step_size);
    t.z = rows(forward, z_forward, z_backward);
    // The old trajectory becomes the half that is not extended: extending forward, it is the
    // backward half and its forward end is the old forward end (and mirrored backwards).
    torch::Tensor rho_fwd = rows(forward, torch::zeros_like(rho), rho);
    torch::Tensor rho_bck = rows(forward, rho, torch::zeros_like(rho));
    p_bck_fwd = rows(forward, p_fwd_fwd, p_bck_fwd);
    p_sharp_bck_fwd = rows(forward, p_sharp_fwd_fwd, p_sharp_bck_fwd);
    p_fwd_bck = rows(forward, p_fwd_bck, p_bck_bck);
    p_sharp_fwd_bck = rows(forward, p_sharp_fwd_bck, p_sharp_bck_bck);

    Subtree sub = build_tree(d, t, active, rng);

    z_forward = rows(forward & active, t.z, z_forward);
    z_backward = rows(~forward & active, t.z, z_backward);
    p_sharp_fwd_bck = rows(forward, sub.p_sharp_begin, p_sharp_fwd_bck);
    p_sharp_fwd_fwd = rows(forward, sub.p_sharp_end, p_sharp_fwd_fwd);
    rho_fwd = rows(forward, sub.rho, rho_fwd);
    p_fwd_bck = rows(forward, sub.p_begin, p_fwd_bck);
    p_fwd_fwd = rows(forward, sub.p_end, p_fwd_fwd);
    p_sharp_bck_fwd = rows(forward, p_sharp_bck_fwd, sub.p_sharp_begin);
    p_sharp_bck_bck = rows(forward, p_sharp_bck_bck, sub.p_sharp_end);
    rho_bck = rows(forward, rho_bck, sub.rho);
    p_bck_fwd = rows(forward, p_bck_fwd, sub.p_begin);
    p_bck_bck = rows(forward, p_bck_bck, sub.p_end);

    const torch::Tensor valid = active & sub.valid;
    depth += valid.to(torch::kInt64);
    // Biased progressive sampling: prefer the new subtree by its weight relative to the old.
    const torch::Tensor take =
        valid & (rng.uniform({chains}) < torch::exp(sub.log_sum_weight - log_sum_weight));
    z_sample = rows(take, sub.proposal, z_sample);
    log_sum_weight =
        torch::where(valid, torch::logaddexp(log_sum_weight, sub.log_sum_weight), log_sum_weight);
    rho = rho_bck + rho_fwd;
    torch::Tensor persist = no_u_turn(p_sharp_bck_bck, p_sharp_fwd_fwd, rho);
    persist &= no_u_turn(p_sharp_bck_bck, p_sharp_fwd_bck, rho_bck + p_fwd_bck);
    persist &= no_u_turn(p_sharp_bck_fwd, p_sharp_fwd_fwd, rho_fwd + p_bck_fwd);
    active = valid & persist;
  }

  const torch::Tensor moved = (z_sample.x != state.x).any(1);
  state.x = z_sample.x;
  state.energy = z_sample.energy;
  state.grad = z_sample.grad;
  last_depth_ = depth;
  Info info;
  info.accept_prob = t.sum_metro_prob / t.n_leapfrog.clamp_min(1).to(torch::kFloat64);
  info.accepted = moved;
  info.divergent = t.divergent;
  const int64_t evaluations = t.n_leapfrog.sum().item<int64_t>();
  info.energy_evals = evaluations;
  info.gradient_evals = evaluations;
  return info;
}

}  // namespace ebmc
