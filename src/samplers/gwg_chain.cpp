#include "ebmc/samplers/gwg_chain.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebmc {

PairwiseGwgChain::PairwiseGwgChain(const Couplings& couplings, const PairwiseEnergy& energy,
                                   int64_t flips)
    : sites_(couplings.sites()),
      degree_(couplings.neighbours.size(1)),
      flips_(flips),
      neighbours_(couplings.neighbours.data_ptr<int64_t>()),
      weights_(couplings.weights.data_ptr<double>()),
      energy_(energy),
      d_(static_cast<size_t>(sites_)),
      cdf_(static_cast<size_t>(sites_)),
      uniforms_(static_cast<size_t>(flips)),
      moves_(static_cast<size_t>(flips)) {
  changed_.reserve(static_cast<size_t>(flips * (degree_ + 1)));
  undo_.reserve(static_cast<size_t>(flips * degree_));
}

GwgChainResult PairwiseGwgChain::step(double* x, double* energy, double* grad_energy, Memo memo,
                                      ChainEnergySums& sums, int64_t chain, ChainStream& stream) {
  // d̃ⱼ = −sⱼ ∂f/∂xⱼ, written as the batched path does: −(2x − 1) × (−∇U).
  double top = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < sites_; ++j) {
    d_[j] = -(2.0 * x[j] - 1.0) * -grad_energy[j];
    top = std::max(top, 0.5 * d_[j]);
  }
  // q(j) = wⱼ / Σw with wⱼ = exp(d̃ⱼ/2 − max); each move inverts the running sum at u × Σw.
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
  stream.fill(uniforms_.data(), flips_, false);
  const double log_total = std::log(total);
  double log_q_forward = 0.0;
  for (int64_t n = 0; n < flips_; ++n) {
    const double u = uniforms_[n] * total;
    const int64_t i =
        std::min<int64_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin(), sites_ - 1);
    moves_[n] = i;
    log_q_forward += 0.5 * d_[i] - top - log_total;
  }

  // Apply the moves in turn (a site drawn twice flips back). A flip changes f by d̃ᵢ (exactly:
  // `flip_change`) and ∂f/∂x = 2(2(Js) + b) by 8 Jⱼᵢ s′ᵢ at i's neighbours; what it overwrites
  // goes to an undo log, so a rejected proposal restores the state exactly.
  const bool exact = energy_.exact();
  PairwiseEnergy::Sum f = exact ? sums.at(energy_, chain, x) : 0;
  if (exact) *energy = -energy_.value(f);  // the state's energy as a fresh evaluation gives it
  const double energy_before = *energy;
  undo_.clear();
  changed_.clear();
  for (int64_t n = 0; n < flips_; ++n) {
    const int64_t i = moves_[n];
    if (exact) f += energy_.flip_change(x, i);
    const double s_new = -(2.0 * x[i] - 1.0);
    x[i] = 1.0 - x[i];
    changed_.push_back({i, 0.0});
    const int64_t* nbr = neighbours_ + i * degree_;
    const double* w = weights_ + i * degree_;
    for (int64_t k = 0; k < degree_; ++k) {
      if (w[k] == 0.0 || nbr[k] == i) continue;
      undo_.push_back({nbr[k], grad_energy[nbr[k]]});
      grad_energy[nbr[k]] = grad_energy[nbr[k]] - 8.0 * w[k] * s_new;
      changed_.push_back({nbr[k], 0.0});
    }
  }
  *energy = exact ? -energy_.value(f) : -energy_.log_prob(x);
  // The reverse proposal: the forward weights with the changed sites' replaced.
  double offset = top;
  for (auto& [j, d_new] : changed_) {
    d_new = -(2.0 * x[j] - 1.0) * -grad_energy[j];
    offset = std::max(offset, 0.5 * d_new);
  }
  double reverse_total = 0.0;
  if (offset == top) {  // summed in order, and memoized for the next step
    for (const auto& [j, d_new] : changed_) {
      memo.d[j] = d_new;
      weight[j] = std::exp(0.5 * d_new - top);
    }
    for (int64_t j = 0; j < sites_; ++j) reverse_total += weight[j];
  } else {  // a new maximum: every weight again, against it (not memoized)
    for (const auto& [j, d_new] : changed_) d_[j] = d_new;
    for (int64_t j = 0; j < sites_; ++j) reverse_total += std::exp(0.5 * d_[j] - offset);
  }
  const double log_reverse_total = std::log(reverse_total);
  double log_q_reverse = 0.0;
  for (int64_t n = 0; n < flips_; ++n) {
    const int64_t i = moves_[n];
    log_q_reverse += 0.5 * (-(2.0 * x[i] - 1.0) * -grad_energy[i]) - offset - log_reverse_total;
  }
  const double log_ratio = energy_before - *energy + log_q_reverse - log_q_forward;

  GwgChainResult result;
  result.decision = metropolis_row(log_ratio, stream.uniform());
  // A rejection restores exactly: the gradient entries in reverse order, then the flips.
  if (!result.decision.accepted) {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) grad_energy[it->first] = it->second;
    for (int64_t n = flips_ - 1; n >= 0; --n) x[moves_[n]] = 1.0 - x[moves_[n]];
    *energy = energy_before;
    return result;
  }
  if (exact) sums.moved(chain, x, f);
  for (int64_t n = 0; n < flips_; ++n) {
    // A site flipped an even number of times is back where it was.
    int64_t times = 0;
    for (int64_t m = 0; m < flips_; ++m) times += moves_[m] == moves_[n];
    bool first = true;
    for (int64_t m = 0; m < n; ++m) first = first && moves_[m] != moves_[n];
    if (first && times % 2 == 1) result.changed += 1;
  }
  return result;
}

}  // namespace ebmc
