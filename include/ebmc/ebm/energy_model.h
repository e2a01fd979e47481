#pragma once
/// @file energy_model.h
/// Energy-based models: a trainable energy E_θ, optionally tilted by a Gaussian base ρ
/// (grenioux-2023 eq. 6: p_θ ∝ exp(−E_θ)·ρ), its use as a sampling target, and its model files.

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/core/options.h"
#include "ebmc/core/registry.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// Options of the energy network: Nijkamp et al. (2020)'s 2-d toy network (the one of
/// grenioux-2023 C.2), d → w → 2w → … → 2w → 1 with leaky ReLUs (or Swish): about 10k
/// parameters in 2-d.
struct EnergyNetworkOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("width", width(), "first hidden layer's width w (the others are 2w)");
    v.field("depth", depth(), "hidden layers of width 2w");
    v.field("leak", leak(), "negative slope of the leaky ReLUs");
    v.field("activation", activation(),
            "leaky_relu | swish (smooth: grathwohl-2020's toy energies, B.4)");
  }
  TORCH_ARG(int64_t, width) = 32;
  TORCH_ARG(int64_t, depth) = 3;
  TORCH_ARG(double, leak) = 0.05;
  TORCH_ARG(std::string, activation) = "leaky_relu";
};

/// A tilted energy-based model: log p_θ(x) = −E_θ(x) + log ρ(x) − log Z_θ with ρ = N(0, σ²I)
/// (σ = `tilt_scale`; 0 = no tilt, log ρ ≡ 0). Subclasses give E_θ; the network's output layer
/// starts at zero, so a fresh model is p = ρ. Appendix B: the tilt does not change ∇_θ of the
/// log-likelihood, E_data[−∇E] + E_p[∇E]. With `learn_tilt` ρ = N(μ, diag(s²)) has trainable
/// μ (from 0) and log s (from log σ): grathwohl-2020 eq. 15's learned Gaussian base.
class EnergyModel : public torch::nn::Module {
 public:
  EnergyModel(int64_t dim, double tilt_scale, bool learn_tilt = false);
  /// Kind of model in files (`mlp`).
  virtual std::string kind() const = 0;
  /// The options the model was built with (its factory reads them back).
  virtual nlohmann::json options_json() const = 0;
  /// E_θ(x) [B] for x [B, dim], differentiable in θ and x.
  virtual torch::Tensor energy(const torch::Tensor& x) = 0;

  /// log Z_θ = log ∫exp(−E_θ)ρ when the model knows it in closed form (differentiable in θ:
  /// exact maximum likelihood); undefined otherwise.
  virtual torch::Tensor log_normalizer() { return {}; }

  int64_t dim() const { return dim_; }
  double tilt_scale() const { return tilt_scale_; }
  bool learns_tilt() const { return tilt_mean_.defined(); }
  /// log ρ(x) [B] (0 without tilt).
  torch::Tensor log_base(const torch::Tensor& x) const;
  /// −log p_θ(x) up to log Z_θ: E_θ(x) − log ρ(x).
  torch::Tensor tilted_energy(const torch::Tensor& x) { return energy(x) - log_base(x); }

 private:
  int64_t dim_;
  double tilt_scale_;
  torch::Tensor tilt_mean_, tilt_log_scale_;  ///< trainable base (learn_tilt), else undefined
};

/// E_θ = the network of EnergyNetworkOptions (leaky-ReLU MLP, zero output layer).
class NeuralEnergy : public EnergyModel {
 public:
  NeuralEnergy(int64_t dim, EnergyNetworkOptions options, double tilt_scale, Rng& rng,
               bool learn_tilt = false);
  std::string kind() const override { return "mlp"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor energy(const torch::Tensor& x) override;

 private:
  EnergyNetworkOptions options_;
  bool swish_ = false;
  std::vector<torch::nn::Linear> layers_;
};

/// How `ebmc train-ebm --model NAME:opts` builds a model kind.
struct EnergyModelFactory {
  std::function<nlohmann::json(Spec&)> options_from_spec;
  std::function<std::shared_ptr<EnergyModel>(const nlohmann::json& options, int64_t dim,
                                             double tilt_scale, bool learn_tilt, Rng& rng)>
      make;
  bool tilted = true;  ///< false: the model has its own base, and the default tilt is 0
};
std::map<std::string, EnergyModelFactory>& energy_model_factories();

/// Registers the model kind `name`: a `Model(dim, Options, tilt_scale, rng, learn_tilt)`.
template <class Model, class Options>
bool register_energy_model(const std::string& name, const std::string& summary,
                           bool tilted = true) {
  add_component_info({name, ComponentKind::kEbmModel, summary, option_docs<Options>(), {}});
  energy_model_factories()[name] = EnergyModelFactory{
      [](Spec& spec) { return options_to_json(options_from_spec<Options>(spec)); },
      [name](const nlohmann::json& options, int64_t dim, double tilt, bool learn_tilt,
             Rng& rng) -> std::shared_ptr<EnergyModel> {
        return std::make_shared<Model>(dim, options_from_json<Options>(options, name), tilt, rng,
                                       learn_tilt);
      },
      tilted};
  return true;
}

/// Whether the model kind of `spec` takes a tilt (false: its default tilt is 0).
bool energy_model_is_tilted(const std::string& spec);
/// The model `spec` (`mlp:width=32`, `ica`) on `dim`-dimensional data; InputError at `--model`.
std::shared_ptr<EnergyModel> make_energy_model(const std::string& spec, int64_t dim,
                                               double tilt_scale, bool learn_tilt, Rng& rng);

/// An EBM as a sampling target: U(x) = E_θ(x) − log ρ(x), ∇U by autograd in x (no parameter
/// gradients accumulate). Shares the model, so a trainer's updates are seen at once.
class EbmTarget : public Target {
 public:
  explicit EbmTarget(std::shared_ptr<EnergyModel> model) : model_(std::move(model)) {}
  int64_t dim() const override { return model_->dim(); }
  std::string name() const override { return "ebm"; }
  const std::shared_ptr<EnergyModel>& model() const { return model_; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override;
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override;

 private:
  std::shared_ptr<EnergyModel> model_;
};

/// Options of the `ebm` target.
struct EbmTargetOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("model", model(), "model file written by `ebmc train-ebm` (DIR/model.pt)");
  }
  TORCH_ARG(std::string, model) = "";
};

/// Writes `model` (kind, options, dimension, tilt, parameters, what it was trained on)
/// atomically to `path`, adding what `extra` writes (a trainer's resumable state).
void save_energy_model(
    const std::string& path, EnergyModel& model, const std::string& trained_on,
    const std::function<void(torch::serialize::OutputArchive&)>& extra = nullptr);
/// Reads a model file into `archive` and rebuilds the model. Throws InputError naming the file
/// when it is missing, not an ebmc EBM, or corrupt.
std::shared_ptr<EnergyModel> load_energy_model(const std::string& path,
                                               torch::serialize::InputArchive& archive);
/// The same, for callers that need nothing else from the file.
std::shared_ptr<EnergyModel> load_energy_model(const std::string& path);

}  // namespace ebmc
