#include "ebmc/learned/l2hmc_chain.h"

#include <algorithm>
#include <cmath>

#include "ebmc/core/vector_math.h"
#include "ebmc/samplers/leapfrog.h"

namespace ebmc {

L2hmcChain::L2hmcChain(const L2hmcWeights& weights, int64_t block)
    : w_(weights),
      block_(std::max<int64_t>(1, block)),
      x_(block_ * weights.dim),
      v_(block_ * weights.dim),
      grad_(block_ * weights.dim),
      input_(block_ * weights.dim),
      sqt_(block_ * 3 * weights.dim),
      exps_(block_ * 2 * weights.dim),
      tau_(block_ * 2),
      update_(block_),
      forward_(block_),
      eps_(block_),
      logdet_(block_),
      energy_(block_),
      kinetic_(block_),
      unit_(weights.dim, 1.0),
      complement_(weights.steps * weights.dim),
      time_encodings_(2 * weights.steps) {
  for (size_t i = 0; i < complement_.size(); ++i) complement_[i] = 1.0 - w_.masks[i];
  for (int64_t t = 0; t < w_.steps; ++t) {
    const double angle = 2.0 * M_PI * static_cast<double>(t) / static_cast<double>(w_.steps);
    time_encodings_[2 * t] = std::cos(angle);
    time_encodings_[2 * t + 1] = std::sin(angle);
  }
}

void L2hmcChain::exponentials(double scale) {
  const int64_t d = w_.dim;
  for (int64_t c = 0; c < count_; ++c) {
    const double *s = sqt_.data() + 3 * d * c, *q = s + d;
    double* e = exps_.data() + 2 * d * c;
    const double magnitude = scale * eps_[c];
    const double signed_scale = forward_[c] ? magnitude : -magnitude;
    std::copy(q, q + d, e);
    for (int64_t i = 0; i < d; ++i) e[d + i] = signed_scale * s[i];
  }
  exp_values(exps_.data(), exps_.data(), 2 * d * count_);
}

void L2hmcChain::momentum() {
  const int64_t d = w_.dim;
  w_.vnet.forward(x_.data(), grad_.data(), tau_.data(), sqt_.data(), scratch_, count_);
  exponentials(0.5);
  for (int64_t c = 0; c < count_; ++c) {
    const double *s = sqt_.data() + 3 * d * c, *tr = s + 2 * d;
    const double* e = exps_.data() + 2 * d * c;
    const double* grad = grad_.data() + d * c;
    double* v = v_.data() + d * c;
    const double half = 0.5 * eps_[c];
    double sum = 0;
    for (int64_t i = 0; i < d; ++i) sum += s[i];
    if (forward_[c]) {
      for (int64_t i = 0; i < d; ++i) v[i] = v[i] * e[d + i] - half * (grad[i] * e[i] + tr[i]);
    } else {
      for (int64_t i = 0; i < d; ++i) v[i] = (v[i] + half * (grad[i] * e[i] + tr[i])) * e[d + i];
    }
    logdet_[c] += (forward_[c] ? half : -half) * sum;
  }
}

void L2hmcChain::position(int64_t n, bool first) {
  const int64_t d = w_.dim;
  for (int64_t c = 0; c < count_; ++c) {
    // Forward, step t = n updates m then m̄; the inverse runs t = M − 1 − n and m̄ then m.
    const int64_t t = forward_[c] ? n : w_.steps - 1 - n;
    const bool masked_first = (forward_[c] != 0) == first;
    const double* marks = (masked_first ? w_.masks.data() : complement_.data()) + t * d;
    const double* x = x_.data() + d * c;
    update_[c] = marks;
    for (int64_t i = 0; i < d; ++i) input_[d * c + i] = (1.0 - marks[i]) * x[i];
  }
  w_.xnet.forward(input_.data(), v_.data(), tau_.data(), sqt_.data(), scratch_, count_);
  exponentials(1.0);
  for (int64_t c = 0; c < count_; ++c) {
    const double *s = sqt_.data() + 3 * d * c, *tr = s + 2 * d;
    const double* e = exps_.data() + 2 * d * c;
    const double *update = update_[c], *v = v_.data() + d * c;
    double* x = x_.data() + d * c;
    const double eps = eps_[c];
    double sum = 0;
    for (int64_t i = 0; i < d; ++i) sum += update[i] * s[i];
    const bool forward = forward_[c] != 0;
    for (int64_t i = 0; i < d; ++i) {
      const double shift = eps * (v[i] * e[i] + tr[i]);
      const double moved = forward ? x[i] * e[d + i] + shift : (x[i] - shift) * e[d + i];
      x[i] = (1.0 - update[i]) * x[i] + update[i] * moved;
    }
    logdet_[c] += (forward_[c] ? eps : -eps) * sum;
  }
}

void L2hmcChain::step(const Target& target, int64_t count, const ChainRow* rows,
                      ChainStream* streams, ChainDecision* decisions) {
  const int64_t d = w_.dim;
  count_ = count;
  for (int64_t c = 0; c < count; ++c) {
    double* v = v_.data() + d * c;
    streams[c].fill(v, d, /*normal=*/true);
    forward_[c] = streams[c].uniform() < 0.5;
    eps_[c] = std::exp(w_.log_step_size);
    if (w_.jitter > 0) eps_[c] *= 1.0 - w_.jitter + 2.0 * w_.jitter * streams[c].uniform();
    std::copy(rows[c].x, rows[c].x + d, x_.begin() + d * c);
    std::copy(rows[c].grad, rows[c].grad + d, grad_.begin() + d * c);
    kinetic_[c] = 0;
    for (int64_t i = 0; i < d; ++i) kinetic_[c] += v[i] * v[i];
    logdet_[c] = 0;
  }
  for (int64_t n = 0; n < w_.steps; ++n) {
    for (int64_t c = 0; c < count; ++c) {
      const int64_t t = forward_[c] ? n : w_.steps - 1 - n;
      std::copy_n(time_encodings_.data() + 2 * t, 2, tau_.data() + 2 * c);
    }
    momentum();
    position(n, /*first=*/true);
    position(n, /*first=*/false);
    for (int64_t c = 0; c < count; ++c) {
      energy_[c] = target.row_energy(x_.data() + d * c, grad_.data() + d * c);
    }
    momentum();
  }
  for (int64_t c = 0; c < count; ++c) {
    const double* v = v_.data() + d * c;
    double kinetic_after = 0;
    for (int64_t i = 0; i < d; ++i) kinetic_after += v[i] * v[i];
    const double log_ratio =
        *rows[c].energy + 0.5 * kinetic_[c] - energy_[c] - 0.5 * kinetic_after + logdet_[c];
    decisions[c] = metropolis_row(log_ratio, streams[c].uniform());
    if (decisions[c].accepted) {
      std::copy_n(x_.data() + d * c, d, rows[c].x);
      std::copy_n(grad_.data() + d * c, d, rows[c].grad);
      *rows[c].energy = energy_[c];
    }
    if (w_.hmc_steps > 0) hmc_transition(target, c, rows[c], streams[c]);
  }
}

void L2hmcChain::hmc_transition(const Target& target, int64_t c, const ChainRow& row,
                                ChainStream& stream) {
  const int64_t d = w_.dim;
  double *x = x_.data() + d * c, *v = v_.data() + d * c, *grad = grad_.data() + d * c;
  stream.fill(v, d, /*normal=*/true);
  std::copy(row.x, row.x + d, x);
  std::copy(row.grad, row.grad + d, grad);
  const double h0 = hamiltonian_row(*row.energy, v, unit_.data(), d, nullptr);
  const double step = std::exp(w_.log_step_size);  // not jittered
  double energy = *row.energy;
  for (int64_t k = 0; k < w_.hmc_steps; ++k) {
    energy = leapfrog_row(target, unit_.data(), step, d, x, v, grad);
  }
  const double h1 = hamiltonian_row(energy, v, unit_.data(), d, nullptr);
  if (metropolis_row(h0 - h1, stream.uniform()).accepted) {
    std::copy(x, x + d, row.x);
    std::copy(grad, grad + d, row.grad);
    *row.energy = energy;
  }
}

}  // namespace ebmc
