#include "ebmc/ebm/learned_rbm.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/rbm.h"

namespace ebmc {

void LearnedRbmOptions::validate() const {
  check_at_least(hidden(), 1, "rbm", "hidden");
  if (!(init_sd() >= 0)) throw InputError("must be >= 0", "rbm:init_sd");
}

LearnedRbm::LearnedRbm(int64_t sites, const LearnedRbmOptions& options, Rng& rng) {
  weights_ =
      register_parameter("weights", rng.normal({options.hidden(), sites}) * options.init_sd());
  visible_bias_ = register_parameter("visible_bias", torch::zeros({sites}, torch::kFloat64));
  hidden_bias_ =
      register_parameter("hidden_bias", torch::zeros({options.hidden()}, torch::kFloat64));
}

torch::Tensor LearnedRbm::log_prob(const torch::Tensor& x) const {
  return x.matmul(visible_bias_) +
         torch::softplus(torch::addmm(hidden_bias_, x, weights_.t())).sum(1);
}

std::unique_ptr<DiscreteTarget> LearnedRbm::snapshot() const {
  torch::NoGradGuard no_grad;
  return std::make_unique<Rbm>(weights_.detach().clone(), visible_bias_.detach().clone(),
                               hidden_bias_.detach().clone());
}

void LearnedRbm::initialize_from_data(const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  visible_bias_.copy_(data_log_odds(x));
}

EBMC_REGISTER(register_discrete_energy_model<LearnedRbmOptions>(
    "rbm", "binary RBM, hidden units summed out (binary data)",
    [](const LearnedRbmOptions& o, int64_t sites, int64_t values,
       Rng& rng) -> std::shared_ptr<DiscreteEnergyModel> {
      require_binary_data(values, "rbm");
      return std::make_shared<LearnedRbm>(sites, o, rng);
    }));

}  // namespace ebmc
