#pragma once
/// @file torchscript_module.h
/// A user's TorchScript module as an energy or log density: loaded and checked once, called on
/// batches with the dtype its parameters have, its output checked to be one float per state.

#include <torch/script.h>
#include <torch/torch.h>

#include <string>

namespace ebmc {

/// The option checks both TorchScript targets share: a `path` is given and `dim` >= 0.
void check_torchscript_options(const std::string& path, int64_t dim);

/// A loaded `forward(x [B, …]) -> [B]` module. Every problem is an InputError naming the file.
class TorchScriptModule {
 public:
  /// Loads `path`; refuses a missing file, a file that is not TorchScript, or no `forward`.
  explicit TorchScriptModule(std::string path);

  /// The dimension from the module's `dim()` method checked against `requested` (0: take the
  /// module's); throws when neither gives one or they disagree.
  int64_t resolve_dim(int64_t requested) const;
  /// forward(x) as float64 [B]; x is cast to the module's dtype (float32 modules get float32).
  torch::Tensor evaluate(const torch::Tensor& x) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  mutable torch::jit::Module module_;  ///< `forward` is not const in LibTorch
  torch::ScalarType dtype_ = torch::kFloat64;
};

}  // namespace ebmc
