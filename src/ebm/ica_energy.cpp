#include "ebmc/ebm/ica_energy.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void IcaEnergyOptions::validate() const {
  if (!(init_scale() > 0 && std::isfinite(init_scale()))) {
    throw InputError("init_scale must be finite and > 0", "ica:init_scale");
  }
  ica_sources_from_name(sources(), "ica:sources");
}

IcaEnergy::IcaEnergy(int64_t dim, IcaEnergyOptions options, double tilt_scale, Rng& /*rng*/,
                     bool learn_tilt)
    : EnergyModel(dim, 0.0), options_(options) {
  options_.validate();
  sources_ = ica_sources_from_name(options_.sources(), "ica:sources");
  if (tilt_scale != 0 || learn_tilt) {
    throw InputError("the ica model has no tilt: pass --tilt-scale 0 (it is the default)",
                     "--tilt-scale");
  }
  unmixing_ =
      register_parameter("unmixing", options_.init_scale() * torch::eye(dim, torch::kFloat64));
}

torch::Tensor IcaEnergy::energy(const torch::Tensor& x) {
  return ica_source_energy(x.matmul(unmixing_.t()), sources_);
}

torch::Tensor IcaEnergy::log_normalizer() { return -std::get<1>(torch::linalg_slogdet(unmixing_)); }

EBMC_REGISTER((register_energy_model<IcaEnergy, IcaEnergyOptions>(
    "ica",
    "linear ICA: E = -log p_z(Ax), Laplace or logistic sources; closed-form log Z (exact ML)",
    /*tilted=*/false)));

}  // namespace ebmc
