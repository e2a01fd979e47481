#include "ebmc/diagnostics/chain_matrix.h"

#include <stdexcept>

namespace ebmc {

ChainMatrix::ChainMatrix(int64_t iterations, int64_t chains)
    : iterations_(iterations),
      chains_(chains),
      values_(static_cast<size_t>(iterations * chains), 0.0) {
  if (iterations < 0 || chains < 0) throw std::invalid_argument("ChainMatrix: negative size");
}

ChainMatrix ChainMatrix::from_tensor(const torch::Tensor& draws) {
  if (!draws.defined() || draws.dim() != 2) {
    throw std::invalid_argument("ChainMatrix::from_tensor: expected a [iterations, chains] tensor");
  }
  ChainMatrix m(draws.size(0), draws.size(1));
  // Transposed and contiguous = chain after chain.
  torch::Tensor by_chain = draws.to(torch::kFloat64).t().contiguous();
  std::copy(by_chain.data_ptr<double>(), by_chain.data_ptr<double>() + m.size(), m.values_.begin());
  return m;
}

}  // namespace ebmc
