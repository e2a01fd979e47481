#include "ebmc/models/torchscript_target.h"

#include "ebmc/core/errors.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

void TorchScriptOptions::validate() const { check_torchscript_options(path(), dim()); }

TorchScriptTarget::TorchScriptTarget(const TorchScriptOptions& options)
    : module_(options.path()), logp_(options.sign() == "logp") {
  dim_ = module_.resolve_dim(options.dim());
  // Probe: a batch of two states must give two floating-point energies.
  torch::NoGradGuard no_grad;
  compute_energy(torch::zeros({2, dim_}, torch::kFloat64));
}

torch::Tensor TorchScriptTarget::compute_energy(const torch::Tensor& x) const {
  const torch::Tensor value = module_.evaluate(x);
  return logp_ ? -value : value;
}

EBMC_REGISTER(register_target<TorchScriptOptions>(
    "torchscript", "your energy exported from PyTorch (torch.jit.script or trace)",
    [](const TorchScriptOptions& o) { return std::make_unique<TorchScriptTarget>(o); }));

}  // namespace ebmc
