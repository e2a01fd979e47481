#pragma once
/// @file ica_energy.h
/// The linear ICA model as a trainable EBM (grathwohl-2020 section 8.1): sources s = Ax through
/// an unmixing matrix A, E_A(x) = −Σᵢ log p_z((Ax)ᵢ) (Laplace or logistic p_z) with the
/// closed-form log Z_A = −log|det A| (eq. 14 with A = W⁻¹): exact maximum likelihood is possible,
/// the other methods use the energy's x-derivatives or values only.

#include <torch/torch.h>

#include "ebmc/ebm/energy_model.h"
#include "ebmc/targets/linear_ica.h"

namespace ebmc {

/// Options of the `ica` model.
struct IcaEnergyOptions {
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("init_scale", init_scale(), "A starts at init_scale * I");
    v.field("sources", sources(), "laplace | logistic source density (as the data's)");
  }
  TORCH_ARG(double, init_scale) = 1.0;
  TORCH_ARG(std::string, sources) = "laplace";
};

/// `ica`: E_A(x) = −log p_z(Ax), no tilt (the energy is normalizable), A starts at `init_scale`·I.
class IcaEnergy : public EnergyModel {
 public:
  /// `tilt_scale` and `learn_tilt` must be 0 / false: the model has its own base.
  IcaEnergy(int64_t dim, IcaEnergyOptions options, double tilt_scale, Rng& rng,
            bool learn_tilt = false);
  std::string kind() const override { return "ica"; }
  nlohmann::json options_json() const override { return options_to_json(options_); }
  torch::Tensor energy(const torch::Tensor& x) override;
  /// −log|det A|.
  torch::Tensor log_normalizer() override;
  /// The unmixing matrix A [D, D].
  const torch::Tensor& unmixing() const { return unmixing_; }

 private:
  IcaEnergyOptions options_;
  torch::Tensor unmixing_;
  IcaSources sources_;
};

}  // namespace ebmc
