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

EntropyChain::EntropyChain(const EntropyWeights& weights)
    : w_(weights),
      base_(weights.dim),
      z_(weights.dim),
      kept_(weights.dim),
      keep_(weights.dim),
      complement_(weights.steps * weights.dim),
      input_(3 * weights.dim),
      output_(3 * weights.dim),
      log_r_(weights.dim),
      drift_(weights.dim, 0.0),
      y_(weights.dim),
      proposal_(weights.dim),
      proposal_grad_(weights.dim),
      scratch_(weights.base_scale.scratch_size()) {
  for (size_t i = 0; i < complement_.size(); ++i) complement_[i] = 1.0 - w_.masks[i];
}

double EntropyChain::base_log_scale(const double* x, const double* grad) {
  const int64_t d = w_.dim;
  std::copy(x, x + d, input_.begin());
  for (int64_t i = 0; i < d; ++i) input_[d + i] = w_.coupling_gradient ? grad[i] : 0.0;
  w_.base_scale.forward(0, input_.data(), log_r_.data(), scratch_.data());
  double sum = 0;
  for (int64_t i = 0; i < d; ++i) sum += log_r_[i];
  return sum;
}

void EntropyChain::drift(const double* x, const double* grad) {
  if (!w_.has_drift) return;
  const int64_t d = w_.dim;
  w_.langevin.forward(0, x, output_.data(), scratch_.data());
  const double c = -0.5 * w_.step_size * w_.step_size;
  for (int64_t i = 0; i < d; ++i) drift_[i] = c * grad[i] * std::exp(output_[i]) + output_[d + i];
}

double EntropyChain::coupling(const Target& target, int64_t n, const double* x,
                              const double* update, bool inverse) {
  const int64_t d = w_.dim;
  const double eps = w_.step_size;
  for (int64_t i = 0; i < d; ++i) keep_[i] = 1.0 - update[i];
  for (int64_t i = 0; i < d; ++i) kept_[i] = keep_[i] * z_[i];
  // Input (x, kept, ∂U(x + ε·kept)): the gradient goes straight into its slot.
  std::copy(x, x + d, input_.begin());
  std::copy(kept_.begin(), kept_.end(), input_.begin() + d);
  double* g = input_.data() + 2 * d;
  if (w_.coupling_gradient) {
    for (int64_t i = 0; i < d; ++i) y_[i] = x[i] + eps * kept_[i];
    target.row_energy(y_.data(), g);
  } else {
    std::fill(g, g + d, 0.0);
  }
  w_.coupling.forward(n, input_.data(), output_.data(), scratch_.data());
  const double *s = output_.data(), *q = s + d, *t = q + d;
  double sum = 0;
  for (int64_t i = 0; i < d; ++i) {
    const double push = g[i] * std::exp(q[i]) + t[i];
    const double moved = inverse ? (z_[i] + 0.5 * eps * push) * std::exp(-s[i])
                                 : z_[i] * std::exp(s[i]) - 0.5 * eps * push;
    z_[i] = kept_[i] + update[i] * moved;
    sum += update[i] * s[i];
  }
  return sum;
}

double EntropyChain::propose(const Target& target, const double* x, const double* grad) {
  const int64_t d = w_.dim;
  const double eps = w_.step_size;
  double log_det = base_log_scale(x, grad);
  for (int64_t i = 0; i < d; ++i) z_[i] = base_[i] * std::exp(log_r_[i]);
  for (int64_t n = 0; n < w_.steps; ++n) {
    log_det += coupling(target, n, x, w_.masks.data() + n * d, false);
    log_det += coupling(target, n, x, complement_.data() + n * d, false);
  }
  drift(x, grad);
  for (int64_t i = 0; i < d; ++i) proposal_[i] = x[i] + eps * z_[i] + drift_[i];
  return standard_normal_log_density_row(base_.data(), d) - log_det -
         static_cast<double>(d) * std::log(eps);
}

double EntropyChain::log_density(const Target& target, const double* x, const double* grad,
                                 const double* x_to) {
  const int64_t d = w_.dim;
  const double eps = w_.step_size;
  drift(x, grad);
  for (int64_t i = 0; i < d; ++i) z_[i] = (x_to[i] - x[i] - drift_[i]) / eps;
  double log_det = 0;
  for (int64_t n = w_.steps - 1; n >= 0; --n) {
    log_det += coupling(target, n, x, complement_.data() + n * d, true);
    log_det += coupling(target, n, x, w_.masks.data() + n * d, true);
  }
  log_det += base_log_scale(x, grad);
  for (int64_t i = 0; i < d; ++i) base_[i] = z_[i] * std::exp(-log_r_[i]);
  return standard_normal_log_density_row(base_.data(), d) - log_det -
         static_cast<double>(d) * std::log(eps);
}

ChainDecision EntropyChain::step(const Target& target, const ChainRow& row, ChainStream& stream) {
  stream.fill(base_.data(), w_.dim, /*normal=*/true);
  const double log_q_forward = propose(target, row.x, row.grad);
  double* grad_next = row.grad == nullptr ? nullptr : proposal_grad_.data();
  const double energy_next = target.row_energy(proposal_.data(), grad_next);
  const double log_q_reverse = log_density(target, proposal_.data(), grad_next, row.x);
  const double log_ratio = *row.energy - energy_next + log_q_reverse - log_q_forward;
  const ChainDecision decision = metropolis_row(log_ratio, stream.uniform());
  if (decision.accepted) {
    std::copy(proposal_.begin(), proposal_.end(), row.x);
    if (grad_next != nullptr) std::copy(proposal_grad_.begin(), proposal_grad_.end(), row.grad);
    *row.energy = energy_next;
  }
  return decision;
}

}  // namespace ebmc
