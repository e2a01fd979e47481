#pragma once
/// @file flow_kernel.h
/// What the flow-assisted kernels share: which flow they use (a file, or a fresh RealNVP at the
/// identity) and binding it to a target.

#include <memory>
#include <string>

#include "ebmc/core/kernel.h"
#include "ebmc/core/options.h"
#include "ebmc/flows/flow.h"
#include "ebmc/flows/real_nvp.h"

namespace ebmc {

/// The flow a flow-assisted sampler uses: `flow=FILE` (written by `ebmc train-flow`), else a
/// fresh RealNVP with `blocks`, `hidden`, `layers` at the identity, so that its proposal starts
/// as N(0, base_scale² I).
struct FlowChoice {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("flow", file(), "flow file from `ebmc train-flow` (empty: a fresh RealNVP)");
    v.field("base_scale", fresh().base_scale(), "fresh flow: sigma of its base N(0, sigma^2 I)");
    v.field("blocks", fresh().blocks(), "fresh flow: coupling blocks");
    v.field("hidden", fresh().hidden(), "fresh flow: conditioner width");
    v.field("layers", fresh().layers(), "fresh flow: conditioner hidden layers");
  }
  TORCH_ARG(std::string, file) = "";
  TORCH_ARG(RealNvpOptions, fresh) = {};
};

/// The flow of `choice` for dimension `dim`: loaded (and checked to be `dim`-dimensional), or a
/// fresh RealNVP whose networks come from a fixed seed. `origin` names the sampler in errors.
std::shared_ptr<Flow> resolve_flow(const FlowChoice& choice, int64_t dim,
                                   const std::string& origin);

/// A kernel on a continuous target that proposes from a normalizing flow. The flow is given at
/// construction (shared with whoever trains it, e.g. an EBM trainer's companion flow) or
/// resolved from a FlowChoice at `init`, when the dimension is known.
class FlowKernel : public Kernel {
 public:
  explicit FlowKernel(FlowChoice choice, std::shared_ptr<Flow> flow = nullptr)
      : choice_(std::move(choice)), flow_(std::move(flow)) {}
  /// The flow (null before `init` unless one was given).
  const std::shared_ptr<Flow>& flow() const { return flow_; }
  /// True when the flow was not read from a file (a fresh flow, which warmup may have fitted).
  bool fresh_flow() const { return choice_.file().empty(); }
  /// Uses `flow` from now on (it must have the target's dimension).
  void set_flow(std::shared_ptr<Flow> flow) { flow_ = std::move(flow); }

 protected:
  /// Resolves the flow for `target` (unless it has one of that dimension) and binds the target.
  State bind_flow_and_evaluate(const Target& target, const torch::Tensor& x0, bool with_gradient);

 private:
  FlowChoice choice_;
  std::shared_ptr<Flow> flow_;
};

}  // namespace ebmc
