#include "ebmc/core/per_chain.h"

#include <algorithm>
#include <cmath>

namespace ebmc {

ChainDecision metropolis_row(double log_ratio, double u) {
  ChainDecision d;
  d.nonfinite = !std::isfinite(log_ratio);
  if (d.nonfinite) return d;
  d.accept_prob = std::exp(std::min(log_ratio, 0.0));
  d.accepted = std::log(u) < log_ratio;
  return d;
}

}  // namespace ebmc
