#pragma once
/// @file torchscript_discrete_target.h
/// A user's log probability over binary or categorical states, exported from PyTorch as
/// TorchScript: `ebmc sample --target torchscript:path=FILE,kind=binary,dim=D --sampler gwg`.

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/discrete/discrete_target.h"
#include "ebmc/models/torchscript_module.h"

namespace ebmc {

/// Options of the discrete `torchscript` target (chosen when the spec has `kind=`).
struct TorchScriptDiscreteOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("path", path(),
            "TorchScript file: forward(x) -> [B] log p, x [B, D] or one-hot [B, D, K]");
    v.text_choice("kind", kind(), {"binary", "categorical"},
                  "binary states in {0,1}^D, or one-hot categorical [D, K]");
    v.field("dim", dim(), "sites D (0: ask the module's dim() method)");
    v.field("k", k(), "values per site K (categorical)");
  }
  TORCH_ARG(std::string, path) = "";
  TORCH_ARG(std::string, kind) = "binary";
  TORCH_ARG(int64_t, dim) = 0;
  TORCH_ARG(int64_t, k) = 2;
};

/// A discrete target whose log p(x) + const is a TorchScript module's `forward` on float states
/// (binary [B, D] or one-hot [B, D, K]), differentiable in the relaxed input as Gibbs-With-
/// Gradients needs; local differences by re-evaluation.
class TorchScriptDiscreteTarget : public DiscreteTarget {
 public:
  explicit TorchScriptDiscreteTarget(const TorchScriptDiscreteOptions& options);

  std::string name() const override { return "torchscript"; }
  int64_t num_sites() const override { return sites_; }
  int64_t num_values() const override { return values_; }
  bool categorical() const override { return categorical_; }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override;

 private:
  TorchScriptModule module_;
  bool categorical_;
  int64_t sites_ = 0, values_ = 2;
};

}  // namespace ebmc
