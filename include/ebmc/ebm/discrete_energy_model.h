#pragma once
/// @file discrete_energy_model.h
/// Trainable energy-based models of binary or categorical data (grathwohl-2021 sections 7–8):
/// the interface PCD and pseudo-likelihood train, and the registry behind
/// `ebmc train-ebm --model ising|potts|rbm|deep[:opts]`.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ebmc/core/registry.h"
#include "ebmc/core/rng.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// log p(x) = f_θ(x) − log Z(θ) over D sites with K values each; states are binary [N, D] (K = 2)
/// or one-hot [N, D, K] (categorical models), as the discrete targets take them.
///
///     auto model = ebmc::make_discrete_energy_model("potts", 20, 4, rng);
///     torch::Tensor f = model->log_prob(x);             // differentiable in the parameters
///     auto target = model->snapshot();                  // sample it with any discrete sampler
class DiscreteEnergyModel : public torch::nn::Module {
 public:
  /// Sites D.
  virtual int64_t sites() const = 0;
  /// Values per site K.
  virtual int64_t values() const { return 2; }
  /// True for one-hot [N, D, K] states.
  virtual bool categorical() const { return false; }
  /// The `--model` name: ising, potts, rbm, deep.
  virtual std::string kind() const = 0;

  /// f_θ(x) [N], differentiable in the parameters.
  virtual torch::Tensor log_prob(const torch::Tensor& x) const = 0;
  /// The current model as a sampling target. Ising, Potts and RBM copy their parameters (later
  /// updates do not change the copy, and the copy has the analytic local differences); neural
  /// models share theirs.
  virtual std::unique_ptr<DiscreteTarget> snapshot() const = 0;
  /// The sparsity regularizer without its weight, differentiable (Ising: Σ_{i<j}|J_ij|; Potts:
  /// eq. 34's block-ℓ1 Σ_{i<j}‖J_ij‖₂); undefined when the model has none.
  virtual torch::Tensor penalty() const { return {}; }
  /// The strength of every pairwise interaction, [D, D] (Ising: J; Potts: ‖J_ij‖ in the zero-sum
  /// gauge), for recovery metrics and heatmaps; undefined for latent-variable and neural models.
  virtual torch::Tensor interaction_strengths() const { return {}; }
  /// Σᵢ log p(xᵢ | x₋ᵢ) per row [N], differentiable (the pseudo-likelihood); InputError for
  /// models without cheap conditionals.
  virtual torch::Tensor pseudo_log_likelihood(const torch::Tensor& x) const;
  /// Sets data-dependent starting values (biases at the data's log-odds) before training.
  virtual void initialize_from_data(const torch::Tensor& /*x*/) {}
};

/// Builds a model for D sites and K values (the data's), seeded by `rng`.
using DiscreteEnergyModelBuilder =
    std::function<std::shared_ptr<DiscreteEnergyModel>(int64_t sites, int64_t values, Rng& rng)>;

/// Registers `--model name:opts` for discrete data.
template <class Options>
bool register_discrete_energy_model(const std::string& name, const std::string& summary,
                                    std::function<std::shared_ptr<DiscreteEnergyModel>(
                                        const Options&, int64_t sites, int64_t values, Rng& rng)>
                                        build) {
  return register_component<DiscreteEnergyModelBuilder, Options>(
      ComponentKind::kDiscreteEbmModel, name, summary, [build](const Options& options) {
        return DiscreteEnergyModelBuilder(
            [options, build](int64_t sites, int64_t values, Rng& rng) {
              return build(options, sites, values, rng);
            });
      });
}

/// The model `spec` (`ising`, `potts`, `rbm:hidden=64`, `deep:width=256`) for data with `sites`
/// sites and `values` values per site; InputError at `--model` for an unknown name or option,
/// or data the model cannot take.
std::shared_ptr<DiscreteEnergyModel> make_discrete_energy_model(const std::string& spec,
                                                                int64_t sites, int64_t values,
                                                                Rng& rng);

/// Whether `spec` names a discrete model kind (so `train-ebm` reads the data as discrete).
bool is_discrete_energy_model(const std::string& spec);

/// Log-odds of the per-site means of binary rows `x` [N, D], the means clamped to
/// [1e-3, 1 − 1e-3]: the starting visible biases (a Bernoulli fit of the data).
torch::Tensor data_log_odds(const torch::Tensor& x);

/// InputError "`kind` takes binary data" at `--model kind` unless `values` is 2.
void require_binary_data(int64_t values, const std::string& kind);

/// One-hot states [N, D, K] from category indices [N, D] in 0 … K − 1.
torch::Tensor one_hot_states(const torch::Tensor& categories, int64_t values);

/// A model as a sampling target that evaluates the model itself (so it sees later parameter
/// updates), with ∇ₓf by autograd: what neural models return from `snapshot`.
class LiveModelTarget : public DiscreteTarget {
 public:
  explicit LiveModelTarget(std::shared_ptr<const DiscreteEnergyModel> model)
      : model_(std::move(model)) {}
  std::string name() const override { return model_->kind(); }
  int64_t num_sites() const override { return model_->sites(); }
  int64_t num_values() const override { return model_->values(); }
  bool categorical() const override { return model_->categorical(); }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override {
    return model_->log_prob(x);
  }

 private:
  std::shared_ptr<const DiscreteEnergyModel> model_;
};

}  // namespace ebmc
