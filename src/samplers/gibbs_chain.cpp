#include "ebmc/samplers/gibbs_chain.h"

#include <algorithm>
#include <cmath>

namespace ebmc {

bool pairwise_gibbs_update(const Couplings& couplings, const double* bias,
                           const PairwiseEnergy& exact, ChainEnergySums& sums, int64_t chain,
                           double* x, double* energy, ChainStream& stream) {
  const int64_t sites = couplings.sites(), degree = couplings.neighbours.size(1);
  // The site as `Rng::random_rows`: ⌊u × D⌋, clamped.
  const int64_t i = std::min<int64_t>(
      static_cast<int64_t>(stream.uniform() * static_cast<double>(sites)), sites - 1);
  const int64_t* nbr = couplings.neighbours.data_ptr<int64_t>() + i * degree;
  const double* w = couplings.weights.data_ptr<double>() + i * degree;
  double field = 0.0;
  for (int64_t k = 0; k < degree; ++k) field += (2.0 * x[nbr[k]] - 1.0) * w[k];
  const double s_i = 2.0 * x[i] - 1.0;
  const double delta = -2.0 * s_i * (2.0 * field + bias[i]);
  // Candidates (stay, flip) with energies (U − 0, U − Δ), their log-probabilities as
  // log_softmax computes them, and the Gumbel-max draw of `sample_categorical`.
  const double stay = -(*energy - 0.0), flip = -(*energy - delta);
  const double top = std::max(stay, flip);
  const double log_sum = std::log(std::exp(stay - top) + std::exp(flip - top));
  double u[2];
  stream.fill(u, 2, false);
  const double g_stay = (stay - top - log_sum) - std::log(-std::log(std::max(u[0], 1e-300)));
  const double g_flip = (flip - top - log_sum) - std::log(-std::log(std::max(u[1], 1e-300)));
  if (!(g_flip > g_stay)) return false;
  if (exact.exact()) {
    const PairwiseEnergy::Sum f = sums.at(exact, chain, x) + exact.flip_change(x, i);
    x[i] = 1.0 - x[i];
    sums.moved(chain, x, f);
    *energy = -exact.value(f);
  } else {
    x[i] = 1.0 - x[i];
    *energy = -exact.log_prob(x);
  }
  return true;
}

}  // namespace ebmc
