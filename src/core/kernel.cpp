#include "ebmc/core/kernel.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void TransitionKernel::set_tuning(const Tuning&) {
  throw InputError("sampler '" + name() + "' has no step size or metric to set", "--tuning");
}

void check_step_size(double step_size, const std::string& where) {
  if (!(std::isfinite(step_size) && step_size > 0)) {
    throw InputError("step_size must be finite and > 0", where);
  }
}

void check_initial_energy(const torch::Tensor& energy, const std::string& target_name) {
  torch::Tensor bad = torch::logical_not(torch::isfinite(energy)).nonzero();
  if (bad.numel() > 0) {
    throw InputError("initial state of chain " + std::to_string(bad[0][0].item<int64_t>()) +
                         " has a non-finite energy",
                     target_name);
  }
}

}  // namespace ebmc
