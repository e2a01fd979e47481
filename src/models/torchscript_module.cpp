#include "ebmc/models/torchscript_module.h"

#include <filesystem>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
  return text + "]";
}

}  // namespace

void check_torchscript_options(const std::string& path, int64_t dim) {
  if (path.empty()) {
    throw InputError("needs path=FILE, a module exported with torch.jit.save", "torchscript:path");
  }
  if (dim < 0) throw InputError("dim must be >= 0", "torchscript:dim");
}

TorchScriptModule::TorchScriptModule(std::string path) : path_(std::move(path)) {
  if (!std::filesystem::is_regular_file(path_)) throw InputError("file not found", path_);
  try {
    module_ = torch::jit::load(path_);
  } catch (const c10::Error&) {
    throw InputError(
        "not a TorchScript file (export it with torch.jit.script or trace and torch.jit.save)",
        path_);
  }
  module_.eval();
  if (!module_.find_method("forward")) throw InputError("the module has no forward()", path_);
  for (const torch::Tensor& p : module_.parameters()) {
    if (p.scalar_type() == torch::kFloat32) dtype_ = torch::kFloat32;
  }
}

int64_t TorchScriptModule::resolve_dim(int64_t requested) const {
  if (!module_.find_method("dim")) {
    if (requested == 0) throw InputError("give dim=D: the module exports no dim() method", path_);
    return requested;
  }
  int64_t exported = 0;
  try {
    exported = module_.get_method("dim")({}).toInt();
  } catch (const c10::Error&) {
    throw InputError("the module's dim() must return an int", path_);
  }
  if (exported < 1)
    throw InputError("the module's dim() returned " + std::to_string(exported), path_);
  if (requested != 0 && requested != exported) {
    throw InputError("dim=" + std::to_string(requested) + " but the module's dim() says " +
                         std::to_string(exported),
                     path_);
  }
  return exported;
}

torch::Tensor TorchScriptModule::evaluate(const torch::Tensor& x) const {
  c10::IValue out;
  try {
    // A copy: a module that writes into its input (x.mul_(2)) must not change the chains'
    // states; autograd differentiates through the copy to `x`.
    out = module_.forward({x.to(dtype_, /*non_blocking=*/false, /*copy=*/true)});
  } catch (const c10::Error& e) {
    throw InputError(
        "forward failed on a batch of shape " + shape_text(x) + ": " + e.what_without_backtrace(),
        path_);
  } catch (const std::exception& e) {  // errors raised inside the TorchScript interpreter
    const std::string what = e.what();
    const size_t last_line = what.find_last_not_of('\n');
    const size_t start = what.rfind('\n', last_line == std::string::npos ? 0 : last_line);
    throw InputError("forward failed on a batch of shape " + shape_text(x) + ": " +
                         what.substr(start == std::string::npos ? 0 : start + 1),
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
  return value.to(torch::kFloat64);
}

}  // namespace ebmc
