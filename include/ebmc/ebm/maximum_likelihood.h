#pragma once
/// @file maximum_likelihood.h
/// Exact maximum likelihood for models whose normalizer is known in closed form (the ICA model):
/// the upper bound of grathwohl-2020 Figure 8.

#include <torch/torch.h>

#include "ebmc/ebm/ebm_method.h"

namespace ebmc {

/// Options of `ml` (none beyond the trainer's).
struct MaximumLikelihoodOptions {
  void validate() const {}
  void visit_fields(OptionVisitor& /*v*/) {}
};

/// `ml`: loss = mean over the minibatch of −log p_θ(x) = E_θ(x) − log ρ(x) + log Z_θ, with the
/// model's closed-form `log_normalizer` (InputError when it has none).
class MaximumLikelihood : public SampleFreeMethod {
 public:
  explicit MaximumLikelihood(MaximumLikelihoodOptions options) : options_(options) {}
  std::string name() const override { return "ml"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  /// Refuses models without a closed-form normalizer.
  void check_model(EnergyModel& model) const override;
  torch::Tensor sample_free_loss(EnergyModel& model, const torch::Tensor& positives,
                                 Rng& rng) override;
  bool data_parallel() const override { return true; }

 private:
  MaximumLikelihoodOptions options_;
};

/// The mean log-likelihood of `x` under a model with a closed-form normalizer, and its standard
/// error; InputError when the model has none.
std::pair<double, double> mean_log_likelihood(EnergyModel& model, const torch::Tensor& x);

}  // namespace ebmc
