#include "ebmc/discrete/pairwise_energy.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace ebmc {

namespace {

using Sum = PairwiseEnergy::Sum;

/// The exponent of the lowest set bit of a finite nonzero double (w = odd integer × 2^result).
int lowest_bit_exponent(double w) {
  int e = 0;
  const double mantissa = std::frexp(std::fabs(w), &e);  // |w| = mantissa × 2^e, [0.5, 1)
  auto units = static_cast<uint64_t>(std::ldexp(mantissa, 53));
  return e - 53 + __builtin_ctzll(units);
}

/// ⌈log₂ n⌉ for n ≥ 1.
int ceil_log2(int64_t n) {
  int bits = 0;
  while ((int64_t{1} << bits) < n) ++bits;
  return bits;
}

/// s·v for s = 2x − 1 with x ∈ {0, 1}.
inline Sum signed_units(double x, Sum v) { return x > 0.5 ? v : -v; }

}  // namespace

PairwiseEnergy::PairwiseEnergy(const Couplings& couplings, const torch::Tensor& bias)
    : sites_(couplings.sites()), degree_(couplings.neighbours.size(1)) {
  const torch::Tensor nbr = couplings.neighbours.to(torch::kInt64).contiguous();
  const torch::Tensor w = couplings.weights.to(torch::kFloat64).contiguous();
  const torch::Tensor b = bias.to(torch::kFloat64).contiguous();
  neighbours_.assign(nbr.data_ptr<int64_t>(), nbr.data_ptr<int64_t>() + nbr.numel());
  weights_.assign(w.data_ptr<double>(), w.data_ptr<double>() + w.numel());
  bias_.assign(b.data_ptr<double>(), b.data_ptr<double>() + b.numel());

  // L = the lowest bit of any weight; every weight is then an integer number of 2^L units.
  int lowest = std::numeric_limits<int>::max(), highest = std::numeric_limits<int>::min();
  bool finite = true;
  auto scan = [&](double v) {
    if (!std::isfinite(v)) finite = false;
    if (v == 0.0 || !std::isfinite(v)) return;
    int e = 0;
    std::frexp(v, &e);
    lowest = std::min(lowest, lowest_bit_exponent(v));
    highest = std::max(highest, e);
  };
  for (double v : weights_) scan(v);
  for (double v : bias_) scan(v);
  if (lowest == std::numeric_limits<int>::max()) lowest = highest = 0;  // all zero
  // |f| ≤ D (degree + 1) 2^(highest − L) units; a flip changes it by at most 4× that.
  const int bits = highest - lowest + ceil_log2(sites_ * (degree_ + 1)) + 3;
  exact_ = finite && bits <= 126 && lowest > std::numeric_limits<double>::min_exponent - 53;
  if (!exact_) return;
  scale_exponent_ = lowest;
  auto units = [&](double v) { return static_cast<Sum>(std::ldexp(v, -lowest)); };
  weight_units_.resize(weights_.size());
  bias_units_.resize(bias_.size());
  std::transform(weights_.begin(), weights_.end(), weight_units_.begin(), units);
  std::transform(bias_.begin(), bias_.end(), bias_units_.begin(), units);
}

Sum PairwiseEnergy::local_sum(const double* x, int64_t i) const {
  const int64_t* nbr = neighbours_.data() + i * degree_;
  const Sum* w = weight_units_.data() + i * degree_;
  Sum field = bias_units_[static_cast<size_t>(i)];
  for (int64_t k = 0; k < degree_; ++k) field += signed_units(x[nbr[k]], w[k]);
  return field;
}

Sum PairwiseEnergy::sum(const double* x) const {
  Sum f = 0;
  for (int64_t i = 0; i < sites_; ++i) f += signed_units(x[i], local_sum(x, i));
  return f;
}

Sum PairwiseEnergy::flip_change(const double* x, int64_t i) const {
  // Flipping sᵢ changes f by −2sᵢ(2 Σⱼ Jᵢⱼsⱼ + bᵢ) (J symmetric, zero diagonal).
  const Sum field = local_sum(x, i) - bias_units_[static_cast<size_t>(i)];
  return -2 * signed_units(x[i], 2 * field + bias_units_[static_cast<size_t>(i)]);
}

double PairwiseEnergy::value(Sum f) const {
  if (f == 0) return 0.0;
  const bool negative = f < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(f) : f;
  const auto high = static_cast<uint64_t>(magnitude >> 64);
  const auto low = static_cast<uint64_t>(magnitude);
  const int length = high != 0 ? 128 - __builtin_clzll(high) : 64 - __builtin_clzll(low);
  int shift = 0;
  if (length > 53) {  // keep 53 bits, rounding the rest to nearest, ties to even
    shift = length - 53;
    const unsigned __int128 one = 1;
    const unsigned __int128 rest = magnitude & ((one << shift) - 1);
    const unsigned __int128 half = one << (shift - 1);
    magnitude >>= shift;
    if (rest > half || (rest == half && (magnitude & 1) != 0)) magnitude += 1;
  }
  const double rounded =
      std::ldexp(static_cast<double>(static_cast<uint64_t>(magnitude)), shift + scale_exponent_);
  return negative ? -rounded : rounded;
}

double PairwiseEnergy::compensated_log_prob(const double* x) const {
  // Neumaier's sum of the terms sᵢJᵢⱼsⱼ and bᵢsᵢ, site by site.
  double total = 0.0, compensation = 0.0;
  auto add = [&](double term) {
    const double t = total + term;
    compensation += std::fabs(total) >= std::fabs(term) ? (total - t) + term : (term - t) + total;
    total = t;
  };
  for (int64_t i = 0; i < sites_; ++i) {
    const double s = 2.0 * x[i] - 1.0;
    for (int64_t k = 0; k < degree_; ++k) {
      const size_t at = static_cast<size_t>(i * degree_ + k);
      add(s * weights_[at] * (2.0 * x[neighbours_[at]] - 1.0));
    }
    add(s * bias_[static_cast<size_t>(i)]);
  }
  return total + compensation;
}

double PairwiseEnergy::log_prob(const double* x) const {
  return exact_ ? value(sum(x)) : compensated_log_prob(x);
}

torch::Tensor PairwiseEnergy::log_prob(const torch::Tensor& x) const {
  const torch::Tensor rows = x.to(torch::kFloat64).contiguous();
  const int64_t chains = rows.size(0);
  torch::Tensor f = torch::empty({chains}, torch::kFloat64);
  const double* in = rows.data_ptr<double>();
  double* out = f.data_ptr<double>();
  for (int64_t c = 0; c < chains; ++c) out[c] = log_prob(in + c * sites_);
  return f;
}

void ChainEnergySums::reserve(int64_t chains, int64_t sites) {
  if (sites == sites_ && static_cast<int64_t>(sums_.size()) == chains) return;
  sites_ = sites;
  states_.assign(static_cast<size_t>(chains * sites), 0.0);
  sums_.assign(static_cast<size_t>(chains), 0);
  valid_.assign(static_cast<size_t>(chains), 0);
}

Sum ChainEnergySums::at(const PairwiseEnergy& energy, int64_t c, const double* x) {
  double* carried = states_.data() + c * sites_;
  const size_t bytes = static_cast<size_t>(sites_) * sizeof(double);
  if (valid_[static_cast<size_t>(c)] && std::memcmp(carried, x, bytes) == 0) {
    return sums_[static_cast<size_t>(c)];
  }
  const Sum f = energy.sum(x);
  moved(c, x, f);
  return f;
}

void ChainEnergySums::moved(int64_t c, const double* x, Sum f) {
  std::memcpy(states_.data() + c * sites_, x, static_cast<size_t>(sites_) * sizeof(double));
  sums_[static_cast<size_t>(c)] = f;
  valid_[static_cast<size_t>(c)] = 1;
}

}  // namespace ebmc
