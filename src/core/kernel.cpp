#include "ebmc/core/kernel.h"

#include "ebmc/core/errors.h"

namespace ebmc {

void check_initial_energy(const torch::Tensor& energy, const std::string& target_name) {
  torch::Tensor bad = torch::logical_not(torch::isfinite(energy)).nonzero();
  if (bad.numel() > 0) {
    throw InputError("initial state of chain " + std::to_string(bad[0][0].item<int64_t>()) +
                         " has a non-finite energy",
                     target_name);
  }
}

}  // namespace ebmc
