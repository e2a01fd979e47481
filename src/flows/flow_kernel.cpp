#include "ebmc/flows/flow_kernel.h"

#include "ebmc/core/errors.h"

namespace ebmc {

void FlowChoice::validate() const { fresh().validate(); }

std::shared_ptr<Flow> resolve_flow(const FlowChoice& choice, int64_t dim,
                                   const std::string& origin) {
  if (!choice.file().empty()) return load_flow_for(choice.file(), dim, origin + ":flow");
  Rng fixed(0);  // a fresh flow is the identity up to ~1e-6; its weights are reproducible
  return std::make_shared<RealNvp>(dim, choice.fresh(), fixed);
}

State FlowKernel::bind_flow_and_evaluate(const Target& target, const torch::Tensor& x0,
                                         bool with_gradient) {
  if (!flow_) {
    flow_ = resolve_flow(choice_, target.dim(), "--sampler " + name());
  } else if (flow_->dim() != target.dim()) {
    throw InputError("flow has dimension " + std::to_string(flow_->dim()) + ", the target " +
                         std::to_string(target.dim()),
                     "--sampler " + name());
  }
  return bind_and_evaluate(target, x0, with_gradient);
}

}  // namespace ebmc
