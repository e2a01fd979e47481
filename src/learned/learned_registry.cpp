#include "ebmc/learned/learned_registry.h"

#include <filesystem>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/spec.h"
#include "ebmc/learned/entropy_sampler.h"
#include "ebmc/learned/l2hmc.h"

namespace ebmc {

namespace {

constexpr const char* kFormat = "ebmc-learned-sampler";
constexpr int kFormatVersion = 1;

/// The options of `spec` as the JSON `make_learned_kernel(kind, options, …)` reads: every key
/// of the kernel's default options, overridden by the spec where given (typed by the default).
nlohmann::json spec_options(Spec& spec) {
  nlohmann::json options;
  if (spec.name() == "l2hmc") {
    options = l2hmc_options_to_json(L2hmcOptions());
  } else if (spec.name() == "entropy") {
    options = entropy_options_to_json(EntropySamplerOptions());
  } else {
    throw InputError("unknown learned sampler '" + spec.name() + "' (l2hmc or entropy)",
                     "--sampler");
  }
  for (auto& [key, value] : options.items()) {
    if (value.is_number_integer()) {
      value = spec.get_int(key, value.get<int64_t>());
    } else if (value.is_number()) {
      value = spec.get_double(key, value.get<double>());
    } else {
      value = spec.get_string(key, value.get<std::string>());
    }
  }
  return options;
}

}  // namespace

bool is_learned_sampler(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  return name == "l2hmc" || name == "entropy";
}

std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& text, int64_t dim, Rng& rng) {
  Spec spec = Spec::parse(text, "--sampler");
  nlohmann::json options = spec_options(spec);
  spec.reject_unused();
  return make_learned_kernel(spec.name(), options, dim, rng);
}

std::shared_ptr<LearnedKernel> make_learned_kernel(const std::string& kind,
                                                   const nlohmann::json& options, int64_t dim,
                                                   Rng& rng) {
  try {
    if (kind == "l2hmc") {
      return std::make_shared<L2hmc>(dim, l2hmc_options_from_json(options), rng);
    }
    if (kind == "entropy") {
      return std::make_shared<EntropySampler>(dim, entropy_options_from_json(options), rng);
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("malformed options: ") + e.what(), kind);
  }
  throw InputError("unknown learned sampler '" + kind + "' (l2hmc or entropy)", "--sampler");
}

void save_learned_kernel(const std::string& path, LearnedKernel& kernel,
                         const std::function<void(torch::serialize::OutputArchive&)>& extra) {
  const TrainedFor& trained = kernel.trained_for();
  const nlohmann::json meta = {{"format", kFormat},
                               {"version", kFormatVersion},
                               {"kind", kernel.name()},
                               {"dim", kernel.dim()},
                               {"options", kernel.options_json()},
                               {"target", trained.target_spec},
                               {"target_name", trained.target_name},
                               {"target_dim", trained.dim}};
  torch::serialize::OutputArchive archive;
  archive.write("meta", c10::IValue(meta.dump()));
  torch::serialize::OutputArchive model;
  kernel.save(model);
  archive.write("model", model);
  if (trained.fingerprint.defined()) archive.write("fingerprint", trained.fingerprint);
  if (extra) extra(archive);
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomically(path, bytes.str());
}

std::shared_ptr<LearnedKernel> load_learned_kernel(const std::string& path,
                                                   torch::serialize::InputArchive& archive) {
  if (!std::filesystem::is_regular_file(path)) throw InputError("model file not found", path);
  nlohmann::json meta;
  try {
    archive.load_from(path);
    c10::IValue text;
    archive.read("meta", text);
    meta = nlohmann::json::parse(text.toStringRef());
  } catch (const std::exception& e) {
    throw InputError("not an ebmc model file (unreadable or corrupt)", path);
  }
  if (meta.value("format", "") != kFormat || meta.value("version", 0) != kFormatVersion) {
    throw InputError("not an ebmc model file of version " + std::to_string(kFormatVersion), path);
  }
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
