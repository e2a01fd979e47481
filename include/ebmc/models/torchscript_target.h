#pragma once
/// @file torchscript_target.h
/// A user's energy exported from PyTorch as TorchScript (`torch.jit.script` or `trace`):
/// `ebmc sample --target torchscript:path=model.pt`.

#include <torch/torch.h>

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/core/target.h"
#include "ebmc/models/torchscript_module.h"

namespace ebmc {

/// Options of `torchscript`.
struct TorchScriptOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("path", path(), "TorchScript file: forward(x [B, D]) -> [B]");
    v.text_choice("sign", sign(), {"energy", "logp"},
                  "energy: forward returns U = -log density; logp: it returns log density");
    v.field("dim", dim(), "dimension D (0: ask the module's dim() method)");
  }
  TORCH_ARG(std::string, path) = "";
  TORCH_ARG(std::string, sign) = "energy";
  TORCH_ARG(int64_t, dim) = 0;
};

/// A continuous target whose energy is a TorchScript module's `forward(x [B, D]) -> [B]`
/// (U = −log density, or log density with `sign=logp`); the gradient comes from autograd
/// through the module. A float32 module is called with float32 inputs and its outputs are
/// promoted to float64. The file is checked when loaded: not TorchScript, no `forward`, an
/// unknown dimension, an output of the wrong shape or dtype are InputErrors naming the file.
///
///     ebmc::TorchScriptTarget target(ebmc::TorchScriptOptions().path("banana.pt"));
class TorchScriptTarget : public Target {
 public:
  explicit TorchScriptTarget(const TorchScriptOptions& options);

  int64_t dim() const override { return dim_; }
  std::string name() const override { return "torchscript"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;

 private:
  TorchScriptModule module_;
  bool logp_ = false;
  int64_t dim_ = 0;
};

}  // namespace ebmc
