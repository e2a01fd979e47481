#include "ebmc/flows/neutra.h"

#include "ebmc/core/errors.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

LatentTarget::LatentTarget(const Target& target, std::shared_ptr<Flow> flow)
    : target_(target), flow_(std::move(flow)) {
  if (flow_->dim() != target_.dim()) {
    throw InputError("flow has dimension " + std::to_string(flow_->dim()) + ", the target " +
                         std::to_string(target_.dim()),
                     "neutra");
  }
}

torch::Tensor LatentTarget::compute_energy(const torch::Tensor& z) const {
  FlowMap pushed = flow_->forward_map(z);
  return target_.energy(pushed.value) - pushed.log_det;
}

EnergyAndGrad LatentTarget::compute_energy_and_grad(const torch::Tensor& z) const {
  torch::AutoGradMode enable(true);
  const torch::Tensor leaf = z.detach().to(torch::kFloat64).requires_grad_(true);
  FlowMap pushed = flow_->forward_map(leaf);
  const EnergyAndGrad at = target_.energy_and_grad(pushed.value.detach());
  // ∂/∂z of U(T(z)) is ∇U · ∂T/∂z: the gradient of T(z) · ∇U with ∇U held fixed.
  const torch::Tensor surrogate = (pushed.value * at.grad).sum() - pushed.log_det.sum();
  const torch::Tensor grad = torch::autograd::grad({surrogate}, {leaf})[0];
  return {at.energy - pushed.log_det.detach(), grad.detach()};
}

Neutra::Neutra(NeutraOptions options, std::shared_ptr<Flow> flow)
    : FlowKernel((options.validate(), options.flow()), std::move(flow)),
      inner_(make_sampler(options.inner())) {}

State Neutra::init(const Target& target, const torch::Tensor& x0) {
  State state = bind_flow_and_evaluate(target, x0, /*with_gradient=*/false);
  latent_target_ = std::make_unique<LatentTarget>(target, flow());
  torch::Tensor z0;
  {
    torch::NoGradGuard no_grad;
    z0 = flow()->inverse_map(state.x).value;
  }
  latent_ = inner_.kernel->init(*latent_target_, z0);
  return state;
}

Info Neutra::step(State& state, Rng& rng) {
  Info info = inner_.kernel->step(latent_, rng);
  torch::NoGradGuard no_grad;
  FlowMap pushed = flow()->forward_map(latent_.x);
  state.x = pushed.value;
  state.energy = latent_.energy + pushed.log_det;  // U(T(z)) = U_z(z) + log|det ∂T/∂z|
  return info;
}

Tuning NeutraAdaptation::run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) {
  State& latent = kernel_->latent_state();
  return kernel_->inner_adaptation()->run(latent, rng, warmup, [&](State& advanced) {
    if (&advanced != &latent) throw std::logic_error("neutra: warmup stepped another state");
    return step(state);
  });
}

EBMC_REGISTER(register_sampler<NeutraOptions>(
    "neutra", "NeuTra: MALA, HMC or NUTS in a normalizing flow's latent space",
    [](const NeutraOptions& o) {
      auto kernel = std::make_shared<Neutra>(o);
      std::shared_ptr<Adaptation> adaptation;
      if (kernel->inner_adaptation()) adaptation = std::make_shared<NeutraAdaptation>(kernel);
      return Sampler{kernel, adaptation};
    }));

}  // namespace ebmc
