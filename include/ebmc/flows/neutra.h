#pragma once
/// @file neutra.h
/// NeuTra (Hoffman et al. 2019): a gradient sampler run in a flow's latent space.

#include <memory>

#include "ebmc/flows/flow_kernel.h"

namespace ebmc {

/// The target pulled back through a flow: U_z(z) = U(T(z)) − log|det ∂T/∂z|, with
/// ∇U_z = (∂T/∂z)ᵀ ∇U(T(z)) − ∇ log|det ∂T/∂z| by autograd through the flow and the target's own
/// ∇U. Both `target` and `flow` must outlive it.
class LatentTarget : public Target {
 public:
  LatentTarget(const Target& target, std::shared_ptr<Flow> flow);
  int64_t dim() const override { return target_.dim(); }
  std::string name() const override { return "latent(" + target_.name() + ")"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& z) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& z) const override;

 private:
  const Target& target_;
  std::shared_ptr<Flow> flow_;
};

/// Options of `neutra`.
struct NeutraOptions {
  void validate() const { flow().validate(); }
  void visit_fields(OptionVisitor& v) {
    v.text_choice("inner", inner(), {"mala", "hmc", "nuts"},
                  "sampler run in the latent space (with its default warmup)");
    flow().visit_fields(v);
  }
  TORCH_ARG(std::string, inner) = "mala";
  TORCH_ARG(FlowChoice, flow) = {};
};

/// NeuTra: the inner sampler (MALA, HMC or NUTS, adapted as usual in warmup) moves z in the
/// latent space of the flow, on LatentTarget; the chains' states are x = T(z) with U(x). The
/// baseline flowMC is compared against (grenioux-2023 NT-EBM's sampler): it preconditions, but
/// a multimodal target stays multimodal in the latent space. Reports the inner sampler's
/// statistics; each gradient evaluation also differentiates through the flow.
class Neutra : public FlowKernel {
 public:
  explicit Neutra(NeutraOptions options = {}, std::shared_ptr<Flow> flow = nullptr);
  std::string name() const override { return "neutra"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;
  std::vector<std::string> stat_names() const override { return inner_.kernel->stat_names(); }
  std::map<std::string, double> stat_limits() const override {
    return inner_.kernel->stat_limits();
  }
  double step_size() const override { return inner_.kernel->step_size(); }
  std::optional<Tuning> tuning() const override { return inner_.kernel->tuning(); }
  void set_tuning(const Tuning& tuning) override { inner_.kernel->set_tuning(tuning); }

  /// The inner sampler's warmup, run on the latent state (null when it has none).
  const std::shared_ptr<Adaptation>& inner_adaptation() const { return inner_.adaptation; }
  /// The inner sampler's current state, in the latent space.
  State& latent_state() { return latent_; }

 private:
  Sampler inner_;
  std::unique_ptr<LatentTarget> latent_target_;
  State latent_;
};

/// Runs the inner sampler's warmup on NeuTra's latent state.
class NeutraAdaptation : public Adaptation {
 public:
  explicit NeutraAdaptation(std::shared_ptr<Neutra> kernel) : kernel_(std::move(kernel)) {}
  Tuning run(State& state, Rng& rng, int64_t warmup, const WarmupStep& step) override;
  std::optional<double> target_accept() const override {
    return kernel_->inner_adaptation()->target_accept();
  }

 private:
  std::shared_ptr<Neutra> kernel_;
};

}  // namespace ebmc
