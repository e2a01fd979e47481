#include "ebmc/models/torchscript_target.h"

#include <filesystem>

#include "ebmc/core/errors.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

void TorchScriptOptions::validate() const {
  if (path().empty()) {
    throw InputError("needs path=FILE, a module exported with torch.jit.save", "torchscript:path");
  }
  if (dim() < 0) throw InputError("dim must be >= 0", "torchscript:dim");
}

namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
  return text + "]";
}

}  // namespace

TorchScriptTarget::TorchScriptTarget(const TorchScriptOptions& options)
    : path_(options.path()), logp_(options.sign() == "logp") {
  if (!std::filesystem::is_regular_file(path_)) throw InputError("file not found", path_);
  try {
    module_ = torch::jit::load(path_);
  } catch (const c10::Error&) {
    throw InputError(
        "not a TorchScript file (export it with torch.jit.script or trace and "
        "torch.jit.save)",
        path_);
  }
  module_.eval();
  if (!module_.find_method("forward")) throw InputError("the module has no forward()", path_);
  for (const torch::Tensor& p : module_.parameters()) {
    if (p.scalar_type() == torch::kFloat32) dtype_ = torch::kFloat32;
  }
  dim_ = options.dim();
  if (module_.find_method("dim")) {
    int64_t exported = 0;
    try {
      exported = module_.get_method("dim")({}).toInt();
    } catch (const c10::Error&) {
      throw InputError("the module's dim() must return an int", path_);
    }
    if (exported < 1)
      throw InputError("the module's dim() returned " + std::to_string(exported), path_);
    if (dim_ != 0 && dim_ != exported) {
      throw InputError("dim=" + std::to_string(dim_) + " but the module's dim() says " +
                           std::to_string(exported),
                       path_);
    }
    dim_ = exported;
  } else if (dim_ == 0) {
    throw InputError("give dim=D: the module exports no dim() method", path_);
  }
  // Probe: a batch of two states must give two floating-point energies.
  torch::NoGradGuard no_grad;
  compute_energy(torch::zeros({2, dim_}, torch::kFloat64));
}

torch::Tensor TorchScriptTarget::compute_energy(const torch::Tensor& x) const {
  c10::IValue out;
  try {
    out = module_.forward({x.to(dtype_)});
  } catch (const c10::Error& e) {
    throw InputError(std::string("forward failed on a [") + std::to_string(x.size(0)) + ", " +
                         std::to_string(x.size(1)) + "] batch: " + e.what_without_backtrace(),
                     path_);
  }
  if (!out.isTensor()) throw InputError("forward must return a tensor", path_);
  torch::Tensor value = out.toTensor();
  if (!value.is_floating_point()) {
    throw InputError("forward returned dtype " + std::string(c10::toString(value.scalar_type())) +
                         ", expected a floating-point tensor",
                     path_);
  }
  if (value.dim() == 2 && value.size(1) == 1) value = value.squeeze(1);
  if (value.dim() != 1 || value.size(0) != x.size(0)) {
    throw InputError("forward returned shape " + shape_text(value) + " for a batch of " +
                         std::to_string(x.size(0)) + ", expected [" + std::to_string(x.size(0)) +
                         "]",
                     path_);
  }
  value = value.to(torch::kFloat64);
  return logp_ ? -value : value;
}

EBMC_REGISTER(register_target<TorchScriptOptions>(
    "torchscript", "your energy exported from PyTorch (torch.jit.script or trace)",
    [](const TorchScriptOptions& o) { return std::make_unique<TorchScriptTarget>(o); }));

}  // namespace ebmc
