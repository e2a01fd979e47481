#pragma once
/// @file rwm.h
/// Random-walk Metropolis: the gradient-free baseline.

#include <torch/torch.h>

#include "ebmc/core/kernel.h"
#include "ebmc/core/options.h"

namespace ebmc {

/// Options of RandomWalkMetropolis.
struct RwmOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(), "standard deviation of the Gaussian proposal");
  }
  /// Standard deviation of the isotropic Gaussian proposal.
  TORCH_ARG(double, step_size) = 0.5;
};

/// Random-walk Metropolis: x' = x + ε·ξ with ξ ~ N(0, I), accepted with probability
/// min(1, exp(U(x) − U(x'))) by the shared Metropolis-Hastings step. One energy evaluation per
/// chain per step, no gradients.
///
///     ebmc::RandomWalkMetropolis rwm(ebmc::RwmOptions().step_size(1.0));
///     ebmc::RunResult run = ebmc::run_chains(rwm, target, x0, rng, ebmc::RunOptions());
class RandomWalkMetropolis : public Kernel {
 public:
  explicit RandomWalkMetropolis(RwmOptions options = {});

  std::string name() const override { return "rwm"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;
  double step_size() const override { return options_.step_size(); }

 private:
  RwmOptions options_;
};

}  // namespace ebmc
