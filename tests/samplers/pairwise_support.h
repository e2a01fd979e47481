#pragma once
// Shared by the fused per-chain discrete kernels' tests: a target without its pairwise structure
// (so kernels take their tensor path) and a recorded run.

#include <string>
#include <vector>

#include "ebmc/discrete/discrete_target.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc::testing {

/// A target's evaluations without its pairwise structure: kernels then take the tensor path.
class WithoutPairwiseStructure : public DiscreteTarget {
 public:
  explicit WithoutPairwiseStructure(const DiscreteTarget& inner) : inner_(inner) {}
  std::string name() const override { return "without_pairwise"; }
  int64_t num_sites() const override { return inner_.num_sites(); }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override {
    return inner_.log_prob(x);
  }
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override {
    return inner_.log_prob_and_grad(x);
  }
  torch::Tensor compute_local_differences(const torch::Tensor& x) const override {
    return inner_.local_differences(x);
  }
  torch::Tensor compute_site_differences(const torch::Tensor& x,
                                         const torch::Tensor& sites) const override {
    return inner_.site_differences(x, sites);
  }

 private:
  const DiscreteTarget& inner_;
};

/// Every step's states, energies, gradients (when the kernel keeps them), acceptance and flips.
struct DiscreteTrace {
  std::vector<torch::Tensor> x, energy, grad, accept_prob, flips;
};

/// `steps` steps of `kernel` on `target` from `x0` with per-chain streams of seed 11.
inline DiscreteTrace run_discrete_kernel(DiscreteKernel& kernel, const DiscreteTarget& target,
                                         const torch::Tensor& x0, int64_t steps) {
  State state = kernel.init(target, x0);
  Rng rng(11, ChainStreams{0, x0.size(0)});
  DiscreteTrace trace;
  for (int64_t t = 0; t < steps; ++t) {
    rng.next_transition();
    const Info info = kernel.step(state, rng);
    trace.x.push_back(state.x);
    trace.energy.push_back(state.energy);
    trace.grad.push_back(state.grad);
    trace.accept_prob.push_back(info.accept_prob);
    trace.flips.push_back(info.stat("flips__").to(torch::kFloat64));
  }
  return trace;
}

}  // namespace ebmc::testing
