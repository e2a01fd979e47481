#pragma once
/// @file score_matching.h
/// Sliced score matching (Song et al. 2019; grathwohl-2020 eq. 16): a sample-free EBM objective.

#include <torch/torch.h>

#include "ebmc/ebm/ebm_method.h"

namespace ebmc {

/// J(θ) = E_data[½‖∇ₓ log q_θ(x)‖² + εᵀ∇ₓ(εᵀ∇ₓ log q_θ(x))], ε ~ N(0, I) (one projection per
/// point), with log q_θ = −(E_θ − log ρ): Hyvärinen's score matching with Hutchinson's trace of
/// the Hessian. Differentiable in the model's parameters. `x` holds `share`'s rows of the batch
/// (projections drawn through it; the loss is its part of the batch mean).
torch::Tensor sliced_score_matching_loss(EnergyModel& model, const torch::Tensor& x, Rng& rng,
                                         const BatchShare& share = BatchShare());

/// Options of `ssm` (none beyond the trainer's).
struct ScoreMatchingOptions {
  void validate() const {}
  void visit_fields(OptionVisitor& /*v*/) {}
};

/// `ssm`: trains the EBM by sliced score matching; no sampling, no negatives.
class ScoreMatching : public SampleFreeMethod {
 public:
  explicit ScoreMatching(ScoreMatchingOptions options) : options_(options) {}
  std::string name() const override { return "ssm"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor sample_free_loss(EnergyModel& model, const torch::Tensor& positives,
                                 Rng& rng) override;
  bool data_parallel() const override { return true; }

 private:
  ScoreMatchingOptions options_;
};

}  // namespace ebmc
