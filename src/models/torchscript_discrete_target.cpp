#include "ebmc/models/torchscript_discrete_target.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/registry.h"

namespace ebmc {

void TorchScriptDiscreteOptions::validate() const {
  check_torchscript_options(path(), dim());
  if (kind() == "categorical") check_at_least(k(), 2, "torchscript", "k");
}

TorchScriptDiscreteTarget::TorchScriptDiscreteTarget(const TorchScriptDiscreteOptions& options)
    : module_(options.path()), categorical_(options.kind() == "categorical") {
  sites_ = module_.resolve_dim(options.dim());
  values_ = categorical_ ? options.k() : 2;
  // Probe: two uniformly random states must give two floating-point log probabilities.
  Rng probe(0);
  torch::NoGradGuard no_grad;
  compute_log_prob(random_states(2, probe));
}

torch::Tensor TorchScriptDiscreteTarget::compute_log_prob(const torch::Tensor& x) const {
  return module_.evaluate(x);
}

EBMC_REGISTER(register_discrete_target<TorchScriptDiscreteOptions>(
    "torchscript", "your log p over binary or categorical states, exported from PyTorch",
    [](const TorchScriptDiscreteOptions& o) {
      return std::make_unique<TorchScriptDiscreteTarget>(o);
    }));

}  // namespace ebmc
