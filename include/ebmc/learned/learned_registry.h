#pragma once
/// @file learned_registry.h
/// Learned kernels by name, and their model files.

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/core/options.h"
#include "ebmc/core/registry.h"
#include "ebmc/core/rng.h"
#include "ebmc/learned/learned_kernel.h"

namespace ebmc {

/// A fresh (untrained) kernel for dimension `dim` from `spec`, e.g. `l2hmc:leapfrog=10,hidden=10`
/// or `entropy:variant=full,width=64,steps=1,target_accept=0.7`; networks drawn from `rng`.
/// Throws InputError for an unknown name or option.
std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& spec, int64_t dim, Rng& rng);

/// The kernel `kind` with `options` as written by `LearnedKernel::options_json`.
std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& kind,
                                                   const nlohmann::json& options, int64_t dim,
                                                   Rng& rng);

/// How the registry builds one learned kernel.
struct LearnedFactory {
  /// The options JSON of a `--sampler NAME:…` spec (defaults where not given).
  std::function<nlohmann::json(Spec&)> options_from_spec;
  /// The kernel for `dim` with those options, networks drawn from the generator.
  std::function<std::shared_ptr<LearnedKernel>(const nlohmann::json&, int64_t, Rng&)> make;
};

/// The learned kernels by name.
std::map<std::string, LearnedFactory>& learned_factories();

/// Options of `ebmc sample --sampler NAME:model=PATH` for a trained learned kernel.
struct TrainedModelOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("model", model(), "model file written by `ebmc train-sampler`");
    v.choice("precision", precision(), network_precision_names(),
             "arithmetic of the networks while sampling (float32: about 2-3x faster transitions, "
             "still exact)");
  }
  TORCH_ARG(std::string, model) = "";
  TORCH_ARG(NetworkPrecision, precision) = NetworkPrecision::kFloat64;
};

/// The sampler of a trained model file whose kernel must be `name`.
Sampler load_trained_sampler(const std::string& name, const TrainedModelOptions& options);

/// Registers the learned kernel `name` (a `KernelType(dim, Options, Rng&)`) for training
/// (`ebmc train-sampler --sampler NAME:opts`) and for sampling from its model files
/// (`ebmc sample --sampler NAME:model=PATH`).
template <class KernelType, class Options>
bool register_learned_kernel(const std::string& name, const std::string& summary) {
  add_component_info({name, ComponentKind::kLearnedSampler, summary, option_docs<Options>(),
                      option_docs<TrainedModelOptions>()});
  learned_factories()[name] = LearnedFactory{
      [](Spec& spec) { return options_to_json(options_from_spec<Options>(spec)); },
      [name](const nlohmann::json& options, int64_t dim,
             Rng& rng) -> std::shared_ptr<LearnedKernel> {
        return std::make_shared<KernelType>(dim, options_from_json<Options>(options, name), rng);
      }};
  factories<Sampler(Spec&)>()[name] = [name](Spec& spec) {
    const TrainedModelOptions options = options_from_spec<TrainedModelOptions>(spec);
    spec.reject_unused();
    if (options.model().empty()) {
      throw InputError("needs model=PATH, a model file written by `ebmc train-sampler`",
                       "--sampler " + name);
    }
    return load_trained_sampler(name, options);
  };
  return true;
}

/// Writes `kernel` (parameters, buffers, options and the target it was trained for) to `path`
/// atomically, adding what `extra` writes (a trainer's resumable state).
void save_learned_kernel(
    const std::string& path, LearnedKernel& kernel,
    const std::function<void(torch::serialize::OutputArchive&)>& extra = nullptr);

/// Reads a model file written by `save_learned_kernel` into `archive` and rebuilds the kernel.
/// Throws InputError naming the file when it is missing, not an ebmc model, or corrupt.
std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path,
                                                   torch::serialize::InputArchive& archive);
/// The same, for callers that need nothing else from the file.
std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path);

}  // namespace ebmc
