#include "ebmc/ebm/energy_model.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "ebmc/core/errors.h"
#include "ebmc/io/model_archive.h"
#include "ebmc/learned/networks.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

namespace {

constexpr const char* kEbmFormat = "ebmc-ebm";
constexpr int kEbmFormatVersion = 1;

}  // namespace

void EnergyNetworkOptions::validate() const {
  check_at_least(width(), 1, "mlp", "width");
  check_at_least(depth(), 0, "mlp", "depth");
  if (!(leak() >= 0 && leak() < 1)) throw InputError("leak must be in [0, 1)", "mlp:leak");
  if (activation() != "leaky_relu" && activation() != "swish") {
    throw InputError("activation must be leaky_relu|swish", "mlp:activation");
  }
}

EnergyModel::EnergyModel(int64_t dim, double tilt_scale, bool learn_tilt)
    : dim_(dim), tilt_scale_(tilt_scale) {
  if (dim < 1) throw InputError("dimension must be >= 1", "ebm");
  if (!(tilt_scale >= 0 && std::isfinite(tilt_scale))) {
    throw InputError("tilt scale must be finite and >= 0", "--tilt-scale");
  }
  if (learn_tilt) {
    if (tilt_scale == 0) throw InputError("a learned tilt needs a tilt scale > 0", "--learn-tilt");
    tilt_mean_ = register_parameter("tilt_mean", torch::zeros({dim}, torch::kFloat64));
    tilt_log_scale_ = register_parameter("tilt_log_scale",
                                         torch::full({dim}, std::log(tilt_scale), torch::kFloat64));
  }
}

torch::Tensor EnergyModel::log_base(const torch::Tensor& x) const {
  if (tilt_mean_.defined()) {
    const torch::Tensor z = (x - tilt_mean_) * torch::exp(-tilt_log_scale_);
    return -0.5 * z.pow(2).sum(1) - tilt_log_scale_.sum() -
           0.5 * static_cast<double>(dim_) * std::log(2.0 * M_PI);
  }
  if (tilt_scale_ == 0) return torch::zeros({x.size(0)}, x.options());
  const double d = static_cast<double>(dim_);
  return -0.5 * x.pow(2).sum(1) / (tilt_scale_ * tilt_scale_) - d * std::log(tilt_scale_) -
         0.5 * d * std::log(2.0 * M_PI);
}

NeuralEnergy::NeuralEnergy(int64_t dim, EnergyNetworkOptions options, double tilt_scale, Rng& rng,
                           bool learn_tilt)
    : EnergyModel(dim, tilt_scale, learn_tilt), options_(std::move(options)) {
  options_.validate();
  swish_ = options_.activation() == "swish";
  int64_t in = dim;
  for (int64_t l = 0; l <= options_.depth(); ++l) {
    const int64_t out = l == 0 ? options_.width() : 2 * options_.width();
    layers_.push_back(register_module("layer" + std::to_string(l), seeded_linear(in, out, rng)));
    in = out;
  }
  // E starts at exactly 0: p = ρ, the flow's base, at initialization (grenioux-2023 §3).
  layers_.push_back(register_module("output", seeded_linear(in, 1, rng, /*zero=*/true)));
}

torch::Tensor NeuralEnergy::energy(const torch::Tensor& x) {
  torch::Tensor h = x;
  for (size_t l = 0; l + 1 < layers_.size(); ++l) {
    h = apply_linear(layers_[l], h);
    h = swish_ ? torch::silu(h) : torch::leaky_relu(h, options_.leak());
  }
  return apply_linear(layers_.back(), h).squeeze(1);
}

std::map<std::string, EnergyModelFactory>& energy_model_factories() {
  static std::map<std::string, EnergyModelFactory> table;
  return table;
}

bool energy_model_is_tilted(const std::string& text) {
  const Spec spec = Spec::parse(text, "--model");
  return find_factory(energy_model_factories(), spec, ComponentKind::kEbmModel, "--model").tilted;
}

std::shared_ptr<EnergyModel> make_energy_model(const std::string& text, int64_t dim,
                                               double tilt_scale, bool learn_tilt, Rng& rng) {
  Spec spec = Spec::parse(text, "--model");
  const EnergyModelFactory& factory =
      find_factory(energy_model_factories(), spec, ComponentKind::kEbmModel, "--model");
  const nlohmann::json options = factory.options_from_spec(spec);
  spec.reject_unused();
  return build_naming_origin(
      spec, "--model", [&] { return factory.make(options, dim, tilt_scale, learn_tilt, rng); });
}

torch::Tensor EbmTarget::compute_energy(const torch::Tensor& x) const {
  return model_->tilted_energy(x.to(torch::kFloat64));
}

EnergyAndGrad EbmTarget::compute_energy_and_grad(const torch::Tensor& x) const {
  torch::AutoGradMode enable(true);
  const torch::Tensor leaf = x.detach().to(torch::kFloat64).requires_grad_(true);
  const torch::Tensor u = model_->tilted_energy(leaf);
  const torch::Tensor grad = torch::autograd::grad({u.sum()}, {leaf})[0];
  return {u.detach(), grad.detach()};
}

void EbmTargetOptions::validate() const {
  if (model().empty()) {
    throw InputError("needs model=PATH, a model written by `ebmc train-ebm`", "ebm:model");
  }
}

void save_energy_model(const std::string& path, EnergyModel& model, const std::string& trained_on,
                       const std::function<void(torch::serialize::OutputArchive&)>& extra) {
  const nlohmann::json meta = {{"format", kEbmFormat},
                               {"version", kEbmFormatVersion},
                               {"kind", model.kind()},
                               {"dim", model.dim()},
                               {"tilt_scale", model.tilt_scale()},
                               {"learn_tilt", model.learns_tilt()},
                               {"options", model.options_json()},
                               {"trained_on", trained_on}};
  save_model_archive(path, meta, model, "model", extra);
}

std::shared_ptr<EnergyModel> load_energy_model(const std::string& path,
                                               torch::serialize::InputArchive& archive) {
  const nlohmann::json meta =
      load_model_archive(path, archive, kEbmFormat, kEbmFormatVersion, "EBM model file");
  std::shared_ptr<EnergyModel> model;
  try {
    const auto factory = energy_model_factories().find(meta.at("kind").get<std::string>());
    if (factory == energy_model_factories().end()) throw InputError("unknown EBM kind", "kind");
    Rng unused(0);  // every parameter is overwritten by the file
    model = factory->second.make(meta.at("options"), meta.at("dim").get<int64_t>(),
                                 meta.at("tilt_scale").get<double>(),
                                 meta.value("learn_tilt", false), unused);
    torch::serialize::InputArchive parameters;
    archive.read("model", parameters);
    model->load(parameters);
  } catch (const InputError& e) {
    throw InputError(std::string("invalid EBM model: ") + e.what(), path);
  } catch (const std::exception&) {
    throw InputError("EBM parameters do not match its options (corrupt file?)", path);
  }
  return model;
}

std::shared_ptr<EnergyModel> load_energy_model(const std::string& path) {
  torch::serialize::InputArchive archive;
  return load_energy_model(path, archive);
}

EBMC_REGISTER((register_energy_model<NeuralEnergy, EnergyNetworkOptions>(
    "mlp", "leaky-ReLU MLP energy d -> w -> 2w ... -> 1 (Nijkamp et al. 2020's toy network)")));

EBMC_REGISTER(register_target<EbmTargetOptions>(
    "ebm", "an energy-based model trained by `ebmc train-ebm` (model=DIR/model.pt)",
    [](const EbmTargetOptions& o) {
      return std::make_unique<EbmTarget>(load_energy_model(o.model()));
    }));

}  // namespace ebmc
