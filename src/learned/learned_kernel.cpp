#include "ebmc/learned/learned_kernel.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

LearnedKernel::LearnedKernel(int64_t dim) : dim_(dim) {
  if (dim < 1) throw InputError("dimension must be >= 1", "learned kernel");
}

bool LearnedKernel::weights_changed() {
  std::vector<std::pair<const void*, int64_t>> now;
  for (const torch::Tensor& t : parameters()) now.emplace_back(t.data_ptr(), t._version());
  for (const torch::Tensor& t : buffers()) now.emplace_back(t.data_ptr(), t._version());
  if (now == weights_seen_) return false;
  weights_seen_ = std::move(now);
  return true;
}

TrainedFor describe_target(const std::string& spec, const Target& target) {
  Rng probes(20181210);
  torch::NoGradGuard no_grad;
  return {spec, target.name(), target.dim(), target.energy(0.5 * probes.normal({4, target.dim()}))};
}

namespace {

bool same_target(const TrainedFor& trained, const Target& target) {
  if (trained.target_name != target.name() || trained.dim != target.dim()) return false;
  if (!trained.fingerprint.defined()) return true;
  const TrainedFor now = describe_target(trained.target_spec, target);
  return torch::allclose(now.fingerprint, trained.fingerprint, 1e-6, 1e-8, true);
}

}  // namespace

State LearnedKernel::init(const Target& target, const torch::Tensor& x0) {
  if (!trained_for_.target_name.empty() && !same_target(trained_for_, target)) {
    throw InputError("this " + name() + " model was trained for target '" +
                         trained_for_.target_spec + "' (" + trained_for_.target_name + ", dim " +
                         std::to_string(trained_for_.dim) + "), not for '" + target.name() +
                         "' (dim " + std::to_string(target.dim()) +
                         ", a different density at the probe points)",
                     "--sampler " + name() + ":model");
  }
  if (target.dim() != dim_) {
    throw InputError("kernel built for dimension " + std::to_string(dim_) + ", target '" +
                         target.name() + "' has dimension " + std::to_string(target.dim()),
                     name());
  }
  if (network_precision_ == NetworkPrecision::kFloat32 && !target.has_row_energy()) {
    throw InputError("float32 networks run on the fused per-chain path, which target '" +
                         target.name() +
                         "' does not have (an energy evaluated as a tensor module): leave the "
                         "precision at float64",
                     "--sampler " + name() + ":precision");
  }
  return bind_and_evaluate(target, x0, uses_gradient());
}

EnergyAndGrad LearnedKernel::evaluate(const Target& target, const torch::Tensor& x) const {
  if (uses_gradient()) return target.energy_and_grad(x);
  return {target.energy(x), torch::Tensor()};
}

torch::Tensor standard_normal_log_density(const torch::Tensor& z) {
  return -0.5 * z.pow(2).sum(1) - 0.5 * static_cast<double>(z.size(1)) * std::log(2.0 * M_PI);
}

torch::Tensor log_accept_probability(const torch::Tensor& log_ratio) {
  return torch::nan_to_num(torch::clamp_max(log_ratio, 0.0), -INFINITY, 0.0, -INFINITY);
}

torch::Tensor advance_training_chains(const torch::Tensor& chains, const torch::Tensor& proposal,
                                      const torch::Tensor& log_accept, Rng& rng) {
  torch::NoGradGuard no_grad;
  const torch::Tensor accept = torch::log(rng.uniform({chains.size(0)})) < log_accept.detach();
  return torch::where(accept.unsqueeze(1), proposal.detach(), chains);
}

}  // namespace ebmc
