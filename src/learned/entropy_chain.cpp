#include "ebmc/learned/entropy_chain.h"

#include <algorithm>
#include <cmath>

namespace ebmc {

namespace {

/// log N(z; 0, I) of z [dim], as `standard_normal_log_density`.
double standard_normal_log_density_row(const double* z, int64_t dim) {
  double sum = 0;
  for (int64_t i = 0; i < dim; ++i) sum += z[i] * z[i];
  return -0.5 * sum - 0.5 * static_cast<double>(dim) * std::log(2.0 * M_PI);
}

}  // namespace

EntropyChain::EntropyChain(const EntropyWeights& weights, int64_t block)
    : w_(weights), block_(std::max<int64_t>(1, block)) {
  const auto rows = static_cast<size_t>(block_), d = static_cast<size_t>(weights.dim);
  for (std::vector<double>* buffer :
       {&x_, &grad_, &base_, &z_, &kept_, &log_r_, &proposal_, &proposal_grad_}) {
    buffer->resize(rows * d);
  }
  drift_.assign(rows * d, 0.0);
  input_.resize(rows * 3 * d);
  output_.resize(rows * 3 * d);
  for (std::vector<double>* buffer : {&log_det_, &log_q_forward_, &log_q_reverse_, &energy_next_}) {
    buffer->resize(rows);
  }
  keep_.resize(d);
  y_.resize(d);
  row_.resize(d);
  complement_.resize(static_cast<size_t>(weights.steps) * d);
  for (size_t i = 0; i < complement_.size(); ++i) complement_[i] = 1.0 - w_.masks[i];
}

void EntropyChain::base_log_scale(const double* x, const double* grad) {
  const int64_t d = w_.dim;
  for (int64_t r = 0; r < count_; ++r) {
    double* in = input_.data() + r * 2 * d;
    std::copy(x + r * d, x + (r + 1) * d, in);
    for (int64_t i = 0; i < d; ++i) in[d + i] = w_.coupling_gradient ? grad[r * d + i] : 0.0;
    if (w_.coupling_gradient) w_.factor.transposed_times(in + d);
  }
  w_.base_scale.forward(0, input_.data(), log_r_.data(), scratch_, count_);
  for (int64_t r = 0; r < count_; ++r) {
    double sum = 0;
    for (int64_t i = 0; i < d; ++i) sum += log_r_[r * d + i];
    log_det_[r] += sum;
  }
}

void EntropyChain::drift(const double* x, const double* grad) {
  if (!w_.has_drift) return;
  const int64_t d = w_.dim;
  w_.langevin.forward(0, x, output_.data(), scratch_, count_);
  const double c = -0.5 * w_.step_size * w_.step_size;
  for (int64_t r = 0; r < count_; ++r) {
    const double* out = output_.data() + r * 2 * d;
    const double* g = grad + r * d;
    double* drift = drift_.data() + r * d;
    for (int64_t i = 0; i < d; ++i) drift[i] = c * g[i] * std::exp(out[i]) + out[d + i];
  }
}

void EntropyChain::coupling(const Target& target, int64_t n, const double* x, const double* update,
                            bool inverse) {
  const int64_t d = w_.dim;
  const double eps = w_.step_size;
  for (int64_t i = 0; i < d; ++i) keep_[i] = 1.0 - update[i];
  // Each chain's input (x, kept, ∂U(x + ε·kept)): the gradient goes straight into its slot.
  for (int64_t r = 0; r < count_; ++r) {
    const double* xr = x + r * d;
    double* kept = kept_.data() + r * d;
    const double* z = z_.data() + r * d;
    for (int64_t i = 0; i < d; ++i) kept[i] = keep_[i] * z[i];
    double* in = input_.data() + r * 3 * d;
    std::copy(xr, xr + d, in);
    std::copy(kept, kept + d, in + d);
    double* g = in + 2 * d;
    if (w_.coupling_gradient) {
      w_.factor.times(kept, row_.data());
      for (int64_t i = 0; i < d; ++i) y_[i] = xr[i] + eps * row_[i];
      target.row_energy(y_.data(), g);
      w_.factor.transposed_times(g);
    } else {
      std::fill(g, g + d, 0.0);
    }
  }
  w_.coupling.forward(n, input_.data(), output_.data(), scratch_, count_);
  for (int64_t r = 0; r < count_; ++r) {
    const double *s = output_.data() + r * 3 * d, *q = s + d, *t = q + d;
    const double* g = input_.data() + r * 3 * d + 2 * d;
    const double* kept = kept_.data() + r * d;
    double* z = z_.data() + r * d;
    double sum = 0;
    for (int64_t i = 0; i < d; ++i) {
      const double push = g[i] * std::exp(q[i]) + t[i];
      const double moved = inverse ? (z[i] + 0.5 * eps * push) * std::exp(-s[i])
                                   : z[i] * std::exp(s[i]) - 0.5 * eps * push;
      z[i] = kept[i] + update[i] * moved;
      sum += update[i] * s[i];
    }
    log_det_[r] += sum;
  }
}

void EntropyChain::propose(const Target& target, const double* x, const double* grad,
                           double* log_q) {
  const int64_t d = w_.dim;
  const double eps = w_.step_size;
  std::fill(log_det_.begin(), log_det_.begin() + count_, 0.0);
  base_log_scale(x, grad);
  for (int64_t i = 0; i < count_ * d; ++i) z_[i] = base_[i] * std::exp(log_r_[i]);
  for (int64_t n = 0; n < w_.steps; ++n) {
    coupling(target, n, x, w_.masks.data() + n * d, false);
    coupling(target, n, x, complement_.data() + n * d, false);
  }
  drift(x, grad);
  for (int64_t r = 0; r < count_; ++r) {
    w_.factor.times(z_.data() + r * d, row_.data());
    for (int64_t i = 0; i < d; ++i) {
      proposal_[r * d + i] = x[r * d + i] + eps * row_[i] + drift_[r * d + i];
    }
  }
  for (int64_t r = 0; r < count_; ++r) {
    log_q[r] = standard_normal_log_density_row(base_.data() + r * d, d) -
               (log_det_[r] + w_.factor.log_det) - static_cast<double>(d) * std::log(eps);
  }
}

void EntropyChain::log_density(const Target& target, const double* x, const double* grad,
                               const double* x_to, double* log_q) {
  const int64_t d = w_.dim;
  const double eps = w_.step_size;
  drift(x, grad);
  for (int64_t i = 0; i < count_ * d; ++i) z_[i] = (x_to[i] - x[i] - drift_[i]) / eps;
  for (int64_t r = 0; r < count_; ++r) w_.factor.solve(z_.data() + r * d);
  std::fill(log_det_.begin(), log_det_.begin() + count_, w_.factor.log_det);
  for (int64_t n = w_.steps - 1; n >= 0; --n) {
    coupling(target, n, x, complement_.data() + n * d, true);
    coupling(target, n, x, w_.masks.data() + n * d, true);
  }
  base_log_scale(x, grad);
  for (int64_t i = 0; i < count_ * d; ++i) base_[i] = z_[i] * std::exp(-log_r_[i]);
  for (int64_t r = 0; r < count_; ++r) {
    log_q[r] = standard_normal_log_density_row(base_.data() + r * d, d) - log_det_[r] -
               static_cast<double>(d) * std::log(eps);
  }
}

void EntropyChain::step(const Target& target, int64_t count, const ChainRow* rows,
                        ChainStream* streams, ChainDecision* decisions) {
  const int64_t d = w_.dim;
  count_ = std::min(count, block_);
  const bool has_grad = rows[0].grad != nullptr;
  for (int64_t r = 0; r < count_; ++r) {
    streams[r].fill(base_.data() + r * d, d, /*normal=*/true);
    std::copy(rows[r].x, rows[r].x + d, x_.data() + r * d);
    if (has_grad) std::copy(rows[r].grad, rows[r].grad + d, grad_.data() + r * d);
  }
  const double* grad = has_grad ? grad_.data() : nullptr;
  propose(target, x_.data(), grad, log_q_forward_.data());
  double* grad_next = has_grad ? proposal_grad_.data() : nullptr;
  for (int64_t r = 0; r < count_; ++r) {
    energy_next_[r] = target.row_energy(proposal_.data() + r * d,
                                        grad_next == nullptr ? nullptr : grad_next + r * d);
  }
  log_density(target, proposal_.data(), grad_next, x_.data(), log_q_reverse_.data());
  for (int64_t r = 0; r < count_; ++r) {
    const double log_ratio =
        *rows[r].energy - energy_next_[r] + log_q_reverse_[r] - log_q_forward_[r];
    const ChainDecision decision = metropolis_row(log_ratio, streams[r].uniform());
    if (decision.accepted) {
      std::copy(proposal_.data() + r * d, proposal_.data() + (r + 1) * d, rows[r].x);
      if (has_grad) {
        std::copy(proposal_grad_.data() + r * d, proposal_grad_.data() + (r + 1) * d, rows[r].grad);
      }
      *rows[r].energy = energy_next_[r];
    }
    decisions[r] = decision;
  }
}

}  // namespace ebmc
