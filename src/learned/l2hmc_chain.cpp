#include "ebmc/learned/l2hmc_chain.h"

#include <algorithm>
#include <cmath>

#include "ebmc/core/vector_math.h"
#include "ebmc/samplers/leapfrog.h"

namespace ebmc {

L2hmcChain::L2hmcChain(const L2hmcWeights& weights)
    : w_(weights),
      unit_(weights.dim, 1.0),
      x_(weights.dim),
      v_(weights.dim),
      grad_(weights.dim),
      keep_(weights.dim),
      complement_(weights.steps * weights.dim),
      sqt_(3 * weights.dim),
      masked_(weights.dim),
      tau_(2 * weights.steps),
      exps_(2 * weights.dim) {
  for (size_t i = 0; i < complement_.size(); ++i) complement_[i] = 1.0 - w_.masks[i];
  for (int64_t t = 0; t < w_.steps; ++t) {
    const double angle = 2.0 * M_PI * static_cast<double>(t) / static_cast<double>(w_.steps);
    tau_[2 * t] = std::cos(angle);
    tau_[2 * t + 1] = std::sin(angle);
  }
}

const double* L2hmcChain::exponentials(double scale) {
  const int64_t d = w_.dim;
  const double *s = sqt_.data(), *q = s + d;
  double* e = exps_.data();
  std::copy(q, q + d, e);
  for (int64_t i = 0; i < d; ++i) e[d + i] = scale * s[i];
  exp_values(e, e, 2 * d);
  return e;
}

void L2hmcChain::momentum(int64_t t, bool inverse) {
  const int64_t d = w_.dim;
  const double half = 0.5 * eps_;
  w_.vnet.forward(x_.data(), grad_.data(), tau_.data() + 2 * t, sqt_.data(), scratch_);
  const double *s = sqt_.data(), *tr = s + 2 * d;
  const double scale = inverse ? -half : half;
  const double* e = exponentials(scale);
  double sum = 0;
  for (int64_t i = 0; i < d; ++i) sum += s[i];
  for (int64_t i = 0; i < d; ++i) {
    const double push = grad_[i] * e[i] + tr[i];
    v_[i] = inverse ? (v_[i] + half * push) * e[d + i] : v_[i] * e[d + i] - half * push;
  }
  logdet_ += scale * sum;
}

void L2hmcChain::position(int64_t t, const double* update, bool inverse) {
  const int64_t d = w_.dim;
  for (int64_t i = 0; i < d; ++i) keep_[i] = 1.0 - update[i];
  for (int64_t i = 0; i < d; ++i) masked_[i] = keep_[i] * x_[i];
  w_.xnet.forward(masked_.data(), v_.data(), tau_.data() + 2 * t, sqt_.data(), scratch_);
  const double *s = sqt_.data(), *tr = s + 2 * d;
  const double scale = inverse ? -eps_ : eps_;
  const double* e = exponentials(scale);
  double sum = 0;
  for (int64_t i = 0; i < d; ++i) sum += update[i] * s[i];
  for (int64_t i = 0; i < d; ++i) {
    const double shift = eps_ * (v_[i] * e[i] + tr[i]);
    const double moved = inverse ? (x_[i] - shift) * e[d + i] : x_[i] * e[d + i] + shift;
    x_[i] = keep_[i] * x_[i] + update[i] * moved;
  }
  logdet_ += scale * sum;
}

ChainDecision L2hmcChain::step(const Target& target, const ChainRow& row, ChainStream& stream) {
  const int64_t d = w_.dim;
  stream.fill(v_.data(), d, /*normal=*/true);
  const bool forward = stream.uniform() < 0.5;
  eps_ = std::exp(w_.log_step_size);
  if (w_.jitter > 0) eps_ *= 1.0 - w_.jitter + 2.0 * w_.jitter * stream.uniform();
  std::copy(row.x, row.x + d, x_.begin());
  std::copy(row.grad, row.grad + d, grad_.begin());
  double kinetic_before = 0;
  for (int64_t i = 0; i < d; ++i) kinetic_before += v_[i] * v_[i];
  logdet_ = 0;
  for (int64_t n = 0; n < w_.steps; ++n) {
    const int64_t t = forward ? n : w_.steps - 1 - n;
    const double* m = w_.masks.data() + t * d;
    const double* m_bar = complement_.data() + t * d;
    momentum(t, !forward);
    position(t, forward ? m : m_bar, !forward);
    position(t, forward ? m_bar : m, !forward);
    energy_ = target.row_energy(x_.data(), grad_.data());
    momentum(t, !forward);
  }
  double kinetic_after = 0;
  for (int64_t i = 0; i < d; ++i) kinetic_after += v_[i] * v_[i];
  const double log_ratio =
      *row.energy + 0.5 * kinetic_before - energy_ - 0.5 * kinetic_after + logdet_;
  const ChainDecision decision = metropolis_row(log_ratio, stream.uniform());
  if (decision.accepted) {
    std::copy(x_.begin(), x_.end(), row.x);
    std::copy(grad_.begin(), grad_.end(), row.grad);
    *row.energy = energy_;
  }
  if (w_.hmc_steps > 0) hmc_transition(target, row, stream);
  return decision;
}

void L2hmcChain::hmc_transition(const Target& target, const ChainRow& row, ChainStream& stream) {
  const int64_t d = w_.dim;
  stream.fill(v_.data(), d, /*normal=*/true);
  std::copy(row.x, row.x + d, x_.begin());
  std::copy(row.grad, row.grad + d, grad_.begin());
  const double h0 = hamiltonian_row(*row.energy, v_.data(), unit_.data(), d, nullptr);
  const double step = std::exp(w_.log_step_size);  // not jittered
  double energy = *row.energy;
  for (int64_t k = 0; k < w_.hmc_steps; ++k) {
    energy = leapfrog_row(target, unit_.data(), step, d, x_.data(), v_.data(), grad_.data());
  }
  const double h1 = hamiltonian_row(energy, v_.data(), unit_.data(), d, nullptr);
  if (metropolis_row(h0 - h1, stream.uniform()).accepted) {
    std::copy(x_.begin(), x_.end(), row.x);
    std::copy(grad_.begin(), grad_.end(), row.grad);
    *row.energy = energy;
  }
}

}  // namespace ebmc
