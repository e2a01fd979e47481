#include "ebmc/diagnostics/autocovariance.h"

#include <torch/torch.h>

#include <algorithm>
#include <vector>

#include "ebmc/diagnostics/basic_stats.h"

namespace ebmc {

namespace {

/// Chains up to this length get their autocovariances by direct sums instead of FFTs.
constexpr int64_t kDirectLimit = 64;

/// A constant chain has autocovariance exactly 0 (the FFT's rounding would leave ~1e-17).
void zero_constant_chains(const ChainMatrix& draws, ChainMatrix& acov) {
  const int64_t n = draws.iterations();
  for (int64_t c = 0; c < draws.chains(); ++c) {
    const double* chain = draws.chain_data(c);
    const bool constant = std::all_of(chain, chain + n, [&](double v) { return v == chain[0]; });
    if (constant)
      std::fill(acov.values().begin() + c * n, acov.values().begin() + (c + 1) * n, 0.0);
  }
}

}  // namespace

ChainMatrix autocovariance(const ChainMatrix& draws) {
  const int64_t n = draws.iterations();
  const int64_t chains = draws.chains();
  ChainMatrix out(n, chains);
  if (n == 0 || chains == 0) return out;
  if (n <= kDirectLimit) {
    // Short chains: the sums directly, O(n^2) per chain, cheaper than two FFTs.
    for (int64_t c = 0; c < chains; ++c) {
      const double* chain = draws.chain_data(c);
      const double mean = mean_of(chain, static_cast<size_t>(n));
      std::vector<double> centred(chain, chain + n);
      for (double& value : centred) value -= mean;
      for (int64_t t = 0; t < n; ++t) {
        double sum = 0.0;
        for (int64_t i = 0; i + t < n; ++i) sum += centred[i] * centred[i + t];
        out(t, c) = sum / static_cast<double>(n);
      }
    }
    zero_constant_chains(draws, out);
    return out;
  }
  torch::Tensor x =
      torch::from_blob(const_cast<double*>(draws.values().data()), {chains, n}, torch::kFloat64);
  torch::Tensor centred = x - x.mean(1, true);
  // Padding to at least 2N removes the circular wrap-around of the FFT.
  int64_t padded = 1;
  while (padded < 2 * n) padded *= 2;
  torch::Tensor spectrum = torch::fft::rfft(centred, padded, 1);
  torch::Tensor sums =
      torch::fft::irfft(torch::view_as_real(spectrum).pow(2).sum(-1), padded, 1).slice(1, 0, n);
  torch::Tensor acov = (sums / static_cast<double>(n)).contiguous();
  std::copy(acov.data_ptr<double>(), acov.data_ptr<double>() + n * chains, out.values().begin());
  zero_constant_chains(draws, out);
  return out;
}

}  // namespace ebmc
