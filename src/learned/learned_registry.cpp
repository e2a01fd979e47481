#include "ebmc/learned/learned_registry.h"

#include <filesystem>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/core/spec.h"
#include "ebmc/io/model_archive.h"

namespace ebmc {

namespace {

constexpr const char* kFormat = "ebmc-learned-sampler";
constexpr int kFormatVersion = 1;

}  // namespace

std::map<std::string, LearnedFactory>& learned_factories() {
  static std::map<std::string, LearnedFactory> table;
  return table;
}

namespace {

const LearnedFactory& learned_factory(const std::string& name) {
  auto it = learned_factories().find(name);
  if (it == learned_factories().end()) {
    std::string names;
    for (const auto& [known, factory] : learned_factories()) {
      names += (names.empty() ? "" : ", ") + known;
    }
    throw InputError("unknown learned sampler '" + name + "' (" + names + ")", "--sampler");
  }
  return it->second;
}

}  // namespace

std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& text, int64_t dim, Rng& rng) {
  Spec spec = Spec::parse(text, "--sampler");
  const LearnedFactory& factory = learned_factory(spec.name());
  nlohmann::json options = factory.options_from_spec(spec);
  spec.reject_unused();
  return make_learned_kernel(spec.name(), options, dim, rng);
}

std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& kind,
                                                   const nlohmann::json& options, int64_t dim,
                                                   Rng& rng) {
  return learned_factory(kind).make(options, dim, rng);
}

void TrainedModelOptions::validate() const {}

Sampler load_trained_sampler(const std::string& name, const TrainedModelOptions& options) {
  std::shared_ptr<LearnedKernel> kernel = load_learned_kernel(options.model());
  kernel->set_network_precision(options.precision());
  if (kernel->name() != name) {
    throw InputError("model file holds a " + kernel->name() + " kernel, not " + name,
                     options.model());
  }
  return Sampler{kernel, nullptr};
}

void save_learned_kernel(const std::string& path, LearnedKernel& kernel,
                         const std::function<void(torch::serialize::OutputArchive&)>& extra) {
  const TrainedFor& trained = kernel.trained_for();
  nlohmann::json meta = {{"format", kFormat},
                         {"version", kFormatVersion},
                         {"kind", kernel.name()},
                         {"dim", kernel.dim()},
                         {"options", kernel.options_json()},
                         {"target", trained.target_spec},
                         {"target_name", trained.target_name},
                         {"target_dim", trained.dim}};
  if (!kernel.training().is_null()) meta["training"] = kernel.training();
  save_model_archive(path, meta, kernel, "model", [&](torch::serialize::OutputArchive& archive) {
    if (trained.fingerprint.defined()) archive.write("fingerprint", trained.fingerprint);
    if (extra) extra(archive);
  });
}

std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path,
                                                   torch::serialize::InputArchive& archive) {
  const nlohmann::json meta =
      load_model_archive(path, archive, kFormat, kFormatVersion, "model file");
  std::shared_ptr<LearnedKernel> kernel;
  try {
    Rng unused(0);  // every parameter is overwritten by the file
    kernel = make_learned_kernel(meta.at("kind").get<std::string>(), meta.at("options"),
                                 meta.at("dim").get<int64_t>(), unused);
    torch::serialize::InputArchive model;
    archive.read("model", model);
    kernel->load(model);
    torch::Tensor fingerprint;
    archive.try_read("fingerprint", fingerprint);
    kernel->set_trained_for({meta.at("target").get<std::string>(),
                             meta.at("target_name").get<std::string>(),
                             meta.at("target_dim").get<int64_t>(), fingerprint});
    if (meta.contains("training")) kernel->set_training(meta.at("training"));
  } catch (const InputError& e) {
    throw InputError(std::string("invalid model: ") + e.what(), path);
  } catch (const std::exception& e) {
    throw InputError("model parameters do not match its options (corrupt file?)", path);
  }
  return kernel;
}

std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path) {
  torch::serialize::InputArchive archive;
  return load_learned_kernel(path, archive);
}

std::vector<std::string> learned_sampler_catalogue() {
  return {
      "l2hmc:model=PATH  L2HMC (Levy et al. 2018) trained by `ebmc train-sampler --sampler "
      "l2hmc[:leapfrog=10,hidden=10,step_size=0.1,loss_scale=0.316,burn_in=1]`",
      "entropy:model=PATH  proposal-entropy neural sampler (Li et al. 2021) trained by `ebmc "
      "train-sampler --sampler entropy[:variant=full|nograd|langevin,width=64,steps=1,"
      "step_size=0.1,target_accept=0.7,beta_rate=0.05]`",
  };
}

}  // namespace ebmc
