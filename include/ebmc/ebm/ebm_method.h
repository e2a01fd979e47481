#pragma once
/// @file ebm_method.h
/// How an EBM trainer draws its negative samples (and keeps a companion flow, if it has one):
/// ULA-EBM, flowMC-EBM, NT-EBM, CoopFlow. Each method registers itself with its options.

#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/registry.h"
#include "ebmc/core/rng.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/ebm/energy_model.h"
#include "ebmc/flows/flow.h"

namespace ebmc {

/// What one iteration's negative sampling produced.
struct NegativeBatch {
  torch::Tensor x;                      ///< [m, dim] the negatives the EBM gradient uses
  torch::Tensor start;                  ///< [n, dim] where this iteration's chains started
  double global_accept = std::nan("");  ///< mean probability that a flow move left the state
  double local_accept = std::nan("");   ///< mean MALA acceptance (NaN for unadjusted Langevin)
  /// In evaluation mode: the chains' states after every MCMC step ([n, dim] each; a flowMC
  /// cycle of global and local moves counts as one step, "stacked" as in grenioux-2023 C.5).
  std::vector<torch::Tensor> trajectory;
};

/// What a method knows about the problem when training starts.
struct EbmContext {
  int64_t dim = 0;
  torch::Tensor data;     ///< [N, dim] the training data (CoopFlow pretrains its flow on it)
  double base_scale = 1;  ///< σ of the tilt ρ = N(0, σ²I), also the companion flow's base
};

/// A way of drawing negatives for maximum-likelihood EBM training (grenioux-2023 Algorithms 1,
/// 3 and the baselines of appendix C).
class EbmMethod {
 public:
  virtual ~EbmMethod() = default;
  /// Registered name (`ula`, `flowmc`, `ntebm`, `coopflow`).
  virtual std::string name() const = 0;
  /// The options it was built with.
  virtual nlohmann::json options_json() const = 0;
  /// Builds companion networks (and pretrains them) and returns the initial persistent chains
  /// [persistent, dim].
  virtual torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) = 0;
  /// The negatives for the current EBM `target`, from `chains` [n, dim], which the method
  /// advances in place (persistent methods) or replaces by its starting draws; `iteration` of
  /// `iterations` in all (for schedules such as CoopFlow's frozen start).
  virtual NegativeBatch negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                                  int64_t iterations, Rng& rng) = 0;
  /// Throws InputError when the method cannot train `model` (called before training starts).
  virtual void check_model(EnergyModel& /*model*/) const {}
  /// True for sample-free objectives (score matching, NCE, LSD): the trainer then takes
  /// `sample_free_loss` and draws no negatives.
  virtual bool sample_free() const { return false; }
  /// Whether `negatives` continues the chains it is given (persistent chains); false for methods
  /// whose chains restart every iteration (from a flow): then the negatives' R-hat is computed
  /// on one pass.
  virtual bool persistent_chains() const { return true; }
  /// Parameters the method trains together with the model, by the trainer's optimizer (NCE's
  /// log-normalizer); available after `initialize`.
  virtual std::vector<torch::Tensor> trainable_parameters() { return {}; }
  /// A sample-free method's training loss on the data minibatch `positives`, differentiable in
  /// the model's parameters (−log p_θ = E_θ − log ρ up to log Z_θ).
  virtual torch::Tensor sample_free_loss(EnergyModel& /*model*/, const torch::Tensor& /*positives*/,
                                         Rng& /*rng*/) {
    throw std::logic_error(name() + " draws negatives; it has no sample-free loss");
  }
  /// The companion flow (null for ULA-EBM).
  virtual std::shared_ptr<Flow> flow() const { return nullptr; }
  /// Writes / restores the method's own state (flow, its optimizer, step sizes) in checkpoints.
  virtual void save(torch::serialize::OutputArchive& /*archive*/) {}
  virtual void load(torch::serialize::InputArchive& /*archive*/) {}

  /// Whether the method trains data-parallel: it draws its random numbers through `share()`,
  /// takes its batch means with it and advances only the chains it is given.
  virtual bool data_parallel() const { return false; }
  /// Data-parallel training: this rank's share of the rows the method works on (the negative
  /// chains of an iteration; the positives for sample-free methods). The whole batch otherwise.
  void set_share(const BatchShare& share) { share_ = share; }
  const BatchShare& share() const { return share_; }
  /// Evaluation mode: `negatives` leaves the companion flow as it is and records the
  /// trajectory (for R-hat of the negative chains, grenioux-2023 Table 2).
  void set_evaluation(bool on) { evaluation_ = on; }
  bool evaluating() const { return evaluation_; }

 protected:
  /// Appends `x` to the batch's trajectory in evaluation mode.
  void record(NegativeBatch& batch, const torch::Tensor& x) const {
    if (evaluation_) batch.trajectory.push_back(x.clone());
  }

 private:
  bool evaluation_ = false;
  BatchShare share_;
};

/// Base of the sample-free methods (score matching, NCE, LSD, exact ML): no negatives, zero
/// persistent chains (unused); subclasses give `sample_free_loss` and may extend `initialize`.
class SampleFreeMethod : public EbmMethod {
 public:
  /// Zeros [persistent, dim].
  torch::Tensor initialize(const EbmContext& context, int64_t persistent, Rng& rng) override;
  /// Throws std::logic_error: the trainer never asks a sample-free method for negatives.
  NegativeBatch negatives(const EbmTarget& target, torch::Tensor& chains, int64_t iteration,
                          int64_t iterations, Rng& rng) final;
  bool sample_free() const final { return true; }
};

/// The methods by name: options from a spec, then the method.
struct EbmMethodFactory {
  std::function<nlohmann::json(Spec&)> options_from_spec;
  std::function<std::shared_ptr<EbmMethod>(const nlohmann::json&)> make;
};
std::map<std::string, EbmMethodFactory>& ebm_method_factories();

/// Registers the method `name` (a `MethodType(Options)`) for `ebmc train-ebm --method NAME:opts`.
template <class MethodType, class Options>
bool register_ebm_method(const std::string& name, const std::string& summary) {
  add_component_info({name, ComponentKind::kEbmMethod, summary, option_docs<Options>(), {}});
  ebm_method_factories()[name] = EbmMethodFactory{
      [](Spec& spec) { return options_to_json(options_from_spec<Options>(spec)); },
      [name](const nlohmann::json& options) -> std::shared_ptr<EbmMethod> {
        return std::make_shared<MethodType>(options_from_json<Options>(options, name));
      }};
  return true;
}

/// The method named by `spec` (`flowmc:particles=64`); InputError at `--method` otherwise.
std::shared_ptr<EbmMethod> make_ebm_method(const std::string& spec);
/// The method `name` with `options` as written by `options_json` (checkpoints).
std::shared_ptr<EbmMethod> make_ebm_method(const std::string& name, const nlohmann::json& options);

}  // namespace ebmc
