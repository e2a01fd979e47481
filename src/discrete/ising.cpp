#include "ebmc/discrete/ising.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/registry.h"

namespace ebmc {

namespace {

torch::Tensor check_bias(const torch::Tensor& bias, int64_t sites, const std::string& name) {
  if (bias.dim() != 1 || bias.size(0) != sites) {
    throw InputError("bias must have one entry per site", name);
  }
  return bias.to(torch::kFloat64).contiguous();
}

/// Whether `x` holds binary float64 CPU states that `PairwiseEnergy` evaluates (not a relaxed
/// input that autograd differentiates).
bool exact_input(const torch::Tensor& x) {
  return x.device().is_cpu() && x.scalar_type() == torch::kFloat64 && !x.requires_grad() &&
         ((x == 0) | (x == 1)).all().item<bool>();
}

}  // namespace

IsingModel::IsingModel(Couplings couplings, torch::Tensor bias, std::string name)
    : couplings_(std::move(couplings)),
      bias_(check_bias(bias, couplings_.sites(), name)),
      name_(std::move(name)),
      energy_(couplings_, bias_) {}

IsingModel IsingModel::lattice(int64_t rows, int64_t cols, double theta, double bias) {
  if (rows < 1 || cols < 1 || rows * cols < 2) {
    throw InputError("lattice needs at least 2 sites", "ising");
  }
  return IsingModel(periodic_lattice(rows, cols, theta),
                    torch::full({rows * cols}, bias, torch::kFloat64), "ising");
}

IsingModel IsingModel::erdos_renyi(int64_t n, double degree, Rng& rng) {
  if (n < 2) throw InputError("n must be >= 2", "ising_er:n");
  if (!(degree > 0)) throw InputError("degree must be > 0", "ising_er:degree");
  return IsingModel(ebmc::erdos_renyi(n, degree, 0.5, rng), torch::zeros({n}, torch::kFloat64),
                    "ising_er");
}

torch::Tensor IsingModel::compute_log_prob(const torch::Tensor& x) const {
  if (exact_input(x)) return energy_.log_prob(x);
  const torch::Tensor s = 2.0 * x - 1.0;
  return (s * couplings_.field(s)).sum(1) + (s * bias_).sum(1);
}

LogProbAndGrad IsingModel::compute_log_prob_and_grad(const torch::Tensor& x) const {
  const torch::Tensor s = 2.0 * x - 1.0;
  const torch::Tensor field = couplings_.field(s);
  // d/dx of sᵀJs + bᵀs with ds/dx = 2 and J symmetric.
  const torch::Tensor f =
      exact_input(x) ? energy_.log_prob(x) : (s * field).sum(1) + (s * bias_).sum(1);
  return {f, 2.0 * (2.0 * field + bias_)};
}

torch::Tensor IsingModel::compute_local_differences(const torch::Tensor& x) const {
  // Flipping sᵢ changes f by −2sᵢ(2(Js)ᵢ + bᵢ) exactly (Jᵢᵢ = 0).
  const torch::Tensor s = 2.0 * x - 1.0;
  return -2.0 * s * (2.0 * couplings_.field(s) + bias_);
}

torch::Tensor IsingModel::compute_site_differences(const torch::Tensor& x,
                                                   const torch::Tensor& sites) const {
  const torch::Tensor s = 2.0 * x - 1.0;
  const torch::Tensor s_i = s.gather(1, sites.unsqueeze(1)).squeeze(1);
  const torch::Tensor field = couplings_.field_at(s, sites);
  return (-2.0 * s_i * (2.0 * field + bias_.index_select(0, sites))).unsqueeze(1);
}

EBMC_REGISTER(register_discrete_target<IsingOptions>(
    "ising", "periodic-lattice Ising, f = theta s'As + bias 1's, s = 2x-1",
    [](const IsingOptions& o) {
      return std::make_unique<IsingModel>(
          IsingModel::lattice(o.n(), o.cols() == 0 ? o.n() : o.cols(), o.theta(), o.bias()));
    }));

EBMC_REGISTER(register_discrete_target<IsingErOptions>(
    "ising_er", "Erdos-Renyi Ising, edge weights N(0, 1/4)", [](const IsingErOptions& o) {
      Rng rng(static_cast<uint64_t>(o.seed()));
      return std::make_unique<IsingModel>(IsingModel::erdos_renyi(o.n(), o.degree(), rng));
    }));

}  // namespace ebmc
