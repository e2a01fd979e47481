#include "ebmc/samplers/gwg_chain.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebmc {

PairwiseGwgChain::PairwiseGwgChain(const Couplings& couplings)
    : sites_(couplings.sites()),
      degree_(couplings.neighbours.size(1)),
      neighbours_(couplings.neighbours.data_ptr<int64_t>()),
      weights_(couplings.weights.data_ptr<double>()),
      d_(static_cast<size_t>(sites_)),
      log_q_(static_cast<size_t>(sites_)),
      d_reverse_(static_cast<size_t>(sites_)),
      log_q_reverse_(static_cast<size_t>(sites_)),
      cdf_(static_cast<size_t>(sites_)) {}

void PairwiseGwgChain::log_softmax_half(const std::vector<double>& d, std::vector<double>& log_q) {
  const size_t n = d.size();
  double top = -std::numeric_limits<double>::infinity();
  for (size_t j = 0; j < n; ++j) top = std::max(top, 0.5 * d[j]);
  double sum = 0.0;
  for (size_t j = 0; j < n; ++j) sum += std::exp(0.5 * d[j] - top);
  const double log_norm = top + std::log(sum);
  for (size_t j = 0; j < n; ++j) log_q[j] = 0.5 * d[j] - log_norm;
}

GwgChainResult PairwiseGwgChain::step(double* x, double* energy, double* grad_energy,
                                      ChainStream& stream) {
  // d̃ⱼ = −sⱼ ∂f/∂xⱼ = sⱼ × (∂U/∂xⱼ)… written as the batched path does: −(2x − 1) × (−∇U).
  for (int64_t j = 0; j < sites_; ++j) d_[j] = -(2.0 * x[j] - 1.0) * -grad_energy[j];
  log_softmax_half(d_, log_q_);
  // The move by inverting the CDF of q at u × (its total), as the batched searchsorted.
  double total = 0.0;
  for (int64_t j = 0; j < sites_; ++j) {
    total += std::exp(log_q_[j]);
    cdf_[j] = total;
  }
  const double u = stream.uniform() * total;
  const int64_t i =
      std::min<int64_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin(), sites_ - 1);

  // The flip's Δf is d̃ᵢ (exact for a pairwise f); ∂f/∂xⱼ = 2(2(Js)ⱼ + bⱼ) changes by 8 Jⱼᵢ s′ᵢ at
  // i's neighbours.
  const double s_new = -(2.0 * x[i] - 1.0);
  const double energy_new = *energy - d_[i];
  std::copy(d_.begin(), d_.end(), d_reverse_.begin());
  d_reverse_[i] = -d_[i];
  const int64_t* nbr = neighbours_ + i * degree_;
  const double* w = weights_ + i * degree_;
  for (int64_t k = 0; k < degree_; ++k) {
    const int64_t j = nbr[k];
    if (w[k] == 0.0 || j == i) continue;
    const double grad_f = -grad_energy[j] + 8.0 * w[k] * s_new;
    d_reverse_[j] = -(2.0 * x[j] - 1.0) * grad_f;
  }
  log_softmax_half(d_reverse_, log_q_reverse_);
  const double log_ratio = *energy - energy_new + log_q_reverse_[i] - log_q_[i];

  GwgChainResult result;
  const double log_u = std::log(stream.uniform());
  if (!std::isfinite(log_ratio)) {
    result.nonfinite = true;
    return result;
  }
  result.accept_prob = std::exp(std::min(log_ratio, 0.0));
  result.accepted = log_u < log_ratio;
  if (!result.accepted) return result;
  x[i] = 1.0 - x[i];
  *energy = energy_new;
  for (int64_t k = 0; k < degree_; ++k) {
    const int64_t j = nbr[k];
    if (w[k] == 0.0 || j == i) continue;
    grad_energy[j] = grad_energy[j] - 8.0 * w[k] * s_new;
  }
  return result;
}

}  // namespace ebmc
