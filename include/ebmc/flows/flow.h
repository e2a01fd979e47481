#pragma once
/// @file flow.h
/// Normalizing flows: an invertible map T pushing a base distribution ρ = N(0, σ²I) forward to
/// λ = T#ρ, with exact log-densities; their registry and model files.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/core/registry.h"
#include "ebmc/core/rng.h"

namespace ebmc {

/// A point mapped through a flow with the log-absolute-determinant of that map's Jacobian.
struct FlowMap {
  torch::Tensor value;    ///< [rows, dim]
  torch::Tensor log_det;  ///< [rows]
};

/// Draws from a flow with their log-densities log λ(x).
struct FlowSample {
  torch::Tensor x;         ///< [rows, dim]
  torch::Tensor log_prob;  ///< [rows]
};

/// A normalizing flow x = T(z), z ~ ρ = N(0, σ²I), batched over rows, float64. Subclasses give
/// the map both ways with log-determinants; the densities and sampling are shared here.
///
///     auto flow = ebmc::make_flow("realnvp:blocks=4,hidden=16", 2, rng);
///     ebmc::FlowSample s = flow->sample(100, rng);   // s.x [100, 2], s.log_prob [100]
///     torch::Tensor lp = flow->log_prob(s.x);        // equals s.log_prob up to rounding
class Flow : public torch::nn::Module {
 public:
  Flow(int64_t dim, double base_scale);

  /// Registered name, e.g. `realnvp`; redeclared to hide torch::nn::Module::name.
  virtual std::string name() const = 0;
  /// The options the flow was built with, as the JSON its factory reads back.
  virtual nlohmann::json options_json() const = 0;
  /// x = T(z) and log|det ∂T/∂z| for z [rows, dim].
  virtual FlowMap forward_map(const torch::Tensor& z) = 0;
  /// z = T⁻¹(x) and log|det ∂T⁻¹/∂x| for x [rows, dim].
  virtual FlowMap inverse_map(const torch::Tensor& x) = 0;

  int64_t dim() const { return dim_; }
  /// σ of the base N(0, σ²I).
  double base_scale() const { return base_scale_; }
  /// log ρ(z), per row.
  torch::Tensor base_log_prob(const torch::Tensor& z) const;
  /// log λ(x) = log ρ(T⁻¹x) + log|det ∂T⁻¹/∂x|, per row.
  torch::Tensor log_prob(const torch::Tensor& x);
  /// `rows` draws x = T(σξ), ξ ~ N(0, I), with log λ(x). With a per-chain Rng, `rows` must be
  /// the number of chains; `sample_per_chain` draws several per chain.
  FlowSample sample(int64_t rows, Rng& rng);
  /// `per_chain` draws for each of `chains` chains, [chains·per_chain, dim] (chain-major), so
  /// that a per-chain Rng gives every chain its own draws.
  FlowSample sample_per_chain(int64_t chains, int64_t per_chain, Rng& rng);
  /// x = T(σξ) with log λ(x) for given standard-normal `xi` [rows, dim]: `sample` with the base
  /// draws supplied (e.g. a rank's rows of a batch drawn on every rank).
  FlowSample push_forward(const torch::Tensor& xi);

  /// Free text naming what the flow was fitted to (`--target` spec or data file); in model files.
  const std::string& fitted_to() const { return fitted_to_; }
  void set_fitted_to(std::string what) { fitted_to_ = std::move(what); }

 private:
  int64_t dim_;
  double base_scale_;
  std::string fitted_to_;
};

/// How the registry builds one flow kind.
struct FlowFactory {
  /// The options JSON of a `--flow NAME:…` spec (defaults where not given; not yet validated).
  std::function<nlohmann::json(Spec&)> options_from_spec;
  /// The flow for `dim` with those options (validated here), networks drawn from the generator.
  std::function<std::shared_ptr<Flow>(const nlohmann::json&, int64_t, Rng&)> make;
};
/// The flow kinds by name.
std::map<std::string, FlowFactory>& flow_factories();

/// Registers the flow `name` (a `FlowType(dim, Options, Rng&)`) for `--flow NAME:opts`.
template <class FlowType, class Options>
bool register_flow(const std::string& name, const std::string& summary) {
  add_component_info({name, ComponentKind::kFlow, summary, option_docs<Options>(), {}});
  flow_factories()[name] = FlowFactory{
      [](Spec& spec) { return options_to_json(options_from_spec<Options>(spec)); },
      [name](const nlohmann::json& options, int64_t dim, Rng& rng) -> std::shared_ptr<Flow> {
        return std::make_shared<FlowType>(dim, options_from_json<Options>(options, name), rng);
      }};
  return true;
}

/// A fresh flow for dimension `dim` from `spec` (`realnvp:blocks=4,hidden=16,layers=3`), its
/// networks drawn from `rng`; `origin` names the option in errors. Throws InputError for an
/// unknown name or option.
std::shared_ptr<Flow> make_flow(const std::string& spec, int64_t dim, Rng& rng,
                                const std::string& origin = "--flow");

/// Writes `flow` (parameters, options, dimension, what it was fitted to) atomically to `path`,
/// adding what `extra` writes (a trainer's resumable state).
void save_flow(const std::string& path, Flow& flow,
               const std::function<void(torch::serialize::OutputArchive&)>& extra = nullptr);
/// Reads a flow file written by `save_flow` into `archive` and rebuilds the flow. Throws
/// InputError naming the file when it is missing, not an ebmc flow, or corrupt.
std::shared_ptr<Flow> load_flow(const std::string& path, torch::serialize::InputArchive& archive);
/// The same, for callers that need nothing else from the file.
std::shared_ptr<Flow> load_flow(const std::string& path);
/// `load_flow(path)`, refusing a flow of another dimension than `dim` (InputError at `origin`).
std::shared_ptr<Flow> load_flow_for(const std::string& path, int64_t dim,
                                    const std::string& origin);

}  // namespace ebmc
