#include "ebmc/diagnostics/autocovariance.h"

#include <torch/torch.h>

#include <algorithm>

namespace ebmc {

ChainMatrix autocovariance(const ChainMatrix& draws) {
  const int64_t n = draws.iterations();
  const int64_t chains = draws.chains();
  ChainMatrix out(n, chains);
  if (n == 0 || chains == 0) return out;
  torch::Tensor x =
      torch::from_blob(const_cast<double*>(draws.values().data()), {chains, n}, torch::kFloat64);
  torch::Tensor centred = x - x.mean(1, true);
  // Padding to at least 2N removes the circular wrap-around of the FFT.
  int64_t padded = 1;
  while (padded < 2 * n) padded *= 2;
  torch::Tensor spectrum = torch::fft::rfft(centred, padded, 1);
  torch::Tensor sums = torch::fft::irfft(spectrum.abs().pow(2), padded, 1).slice(1, 0, n);
  torch::Tensor acov = (sums / static_cast<double>(n)).contiguous();
  std::copy(acov.data_ptr<double>(), acov.data_ptr<double>() + n * chains, out.values().begin());
  for (int64_t c = 0; c < chains; ++c) {
    const double* chain = draws.chain_data(c);
    const bool constant = std::all_of(chain, chain + n, [&](double v) { return v == chain[0]; });
    if (constant) std::fill(out.values().begin() + c * n, out.values().begin() + (c + 1) * n, 0.0);
  }
  return out;
}

}  // namespace ebmc
