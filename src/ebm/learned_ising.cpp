#include "ebmc/ebm/learned_ising.h"

#include "ebmc/core/errors.h"

namespace ebmc {

LearnedIsing::LearnedIsing(int64_t sites) {
  if (sites < 2) throw InputError("an Ising model needs at least 2 sites", "--model");
  upper_ = register_parameter("couplings", torch::zeros({sites, sites}, torch::kFloat64));
  bias_ = register_parameter("bias", torch::zeros({sites}, torch::kFloat64));
}

torch::Tensor LearnedIsing::couplings() const {
  const torch::Tensor upper = torch::triu(upper_, 1);
  return upper + upper.t();
}

torch::Tensor LearnedIsing::penalty() const { return torch::triu(upper_, 1).abs().sum(); }

torch::Tensor LearnedIsing::log_prob(const torch::Tensor& x) const {
  const torch::Tensor s = 2 * x - 1;
  return (s.matmul(couplings()) * s).sum(1) + s.matmul(bias_);
}

std::unique_ptr<DiscreteTarget> LearnedIsing::snapshot() const {
  torch::NoGradGuard no_grad;
  return std::make_unique<IsingModel>(Couplings::from_dense(couplings().detach().clone()),
                                      bias_.detach().clone(), "learned ising");
}

torch::Tensor LearnedIsing::pseudo_log_likelihood(const torch::Tensor& x) const {
  const torch::Tensor s = 2 * x - 1;
  const torch::Tensor field = 2 * s.matmul(couplings()) + bias_;
  return torch::log_sigmoid(2 * s * field).sum(1);
}

EBMC_REGISTER(register_discrete_energy_model<LearnedIsingOptions>(
    "ising", "Ising model with dense learned couplings J and bias (binary data)",
    [](const LearnedIsingOptions&, int64_t sites, int64_t values,
       Rng&) -> std::shared_ptr<DiscreteEnergyModel> {
      require_binary_data(values, "ising");
      return std::make_shared<LearnedIsing>(sites);
    }));

}  // namespace ebmc
