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
      cdf_(static_cast<size_t>(sites_)) {
  changed_.reserve(static_cast<size_t>(degree_ + 1));
}

GwgChainResult PairwiseGwgChain::step(double* x, double* energy, double* grad_energy, Memo memo,
                                      ChainStream& stream) {
  // d̃ⱼ = −sⱼ ∂f/∂xⱼ, written as the batched path does: −(2x − 1) × (−∇U).
  double top = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < sites_; ++j) {
    d_[j] = -(2.0 * x[j] - 1.0) * -grad_energy[j];
    top = std::max(top, 0.5 * d_[j]);
  }
  // q(j) = wⱼ / Σw with wⱼ = exp(d̃ⱼ/2 − max); the move inverts the running sum at u × Σw.
  double* weight = memo.w;
  const bool same_top = *memo.top == top;
  double total = 0.0;
  for (int64_t j = 0; j < sites_; ++j) {
    if (!same_top || memo.d[j] != d_[j]) {
      memo.d[j] = d_[j];
      weight[j] = std::exp(0.5 * d_[j] - top);
    }
    total += weight[j];
    cdf_[j] = total;
  }
  *memo.top = top;
  const double u = stream.uniform() * total;
  const int64_t i =
      std::min<int64_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin(), sites_ - 1);
  const double d_i = d_[i];
  const double log_q_forward = 0.5 * d_i - top - std::log(total);

  // The flip's Δf is d̃ᵢ (exact for a pairwise f). At the proposal d̃ changes at i (to −d̃ᵢ) and at
  // i's neighbours, whose ∂f/∂x = 2(2(Js) + b) moves by 8 Jⱼᵢ s′ᵢ: only those weights change.
  const double s_new = -(2.0 * x[i] - 1.0);
  const double energy_new = *energy - d_i;
  const int64_t* nbr = neighbours_ + i * degree_;
  const double* w = weights_ + i * degree_;
  changed_.clear();
  changed_.push_back({i, -d_i});
  for (int64_t k = 0; k < degree_; ++k) {
    if (w[k] == 0.0 || nbr[k] == i) continue;
    const int64_t j = nbr[k];
    changed_.push_back({j, -(2.0 * x[j] - 1.0) * (-grad_energy[j] + 8.0 * w[k] * s_new)});
  }
  double offset = top;
  for (const auto& [j, d_new] : changed_) offset = std::max(offset, 0.5 * d_new);
  double reverse_total = 0.0;
  if (offset == top) {
    // The forward weights with the changed ones replaced (and memoized for the next step),
    // summed in order.
    for (const auto& [j, d_new] : changed_) {
      memo.d[j] = d_new;
      weight[j] = std::exp(0.5 * d_new - top);
    }
    for (int64_t j = 0; j < sites_; ++j) reverse_total += weight[j];
  } else {  // a new maximum: every weight again, against it (not memoized)
    for (const auto& [j, d_new] : changed_) d_[j] = d_new;
    for (int64_t j = 0; j < sites_; ++j) reverse_total += std::exp(0.5 * d_[j] - offset);
  }
  const double log_q_reverse = 0.5 * -d_i - offset - std::log(reverse_total);
  const double log_ratio = *energy - energy_new + log_q_reverse - log_q_forward;

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
    if (w[k] == 0.0 || nbr[k] == i) continue;
    grad_energy[nbr[k]] = grad_energy[nbr[k]] - 8.0 * w[k] * s_new;
  }
  return result;
}

}  // namespace ebmc
