#include "ebmc/discrete/potts.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/registry.h"

namespace ebmc {

PottsModel::PottsModel(Couplings couplings, torch::Tensor bias, std::string name)
    : couplings_(std::move(couplings)), bias_(bias.to(torch::kFloat64)), name_(std::move(name)) {
  if (bias_.dim() != 2 || bias_.size(0) != couplings_.sites() || bias_.size(1) < 2) {
    throw InputError("bias must be [sites, K] with K >= 2", name_);
  }
}

PottsModel PottsModel::lattice(int64_t rows, int64_t cols, int64_t k, double theta) {
  if (rows < 1 || cols < 1 || rows * cols < 2) {
    throw InputError("lattice needs at least 2 sites", "potts");
  }
  if (k < 2) throw InputError("k must be >= 2", "potts:k");
  return PottsModel(periodic_lattice(rows, cols, theta),
                    torch::zeros({rows * cols, k}, torch::kFloat64), "potts");
}

torch::Tensor PottsModel::compute_log_prob(const torch::Tensor& x) const {
  // Each edge appears in both neighbour lists: halve the pair sum.
  return 0.5 * (x * couplings_.field(x)).sum({1, 2}) + (x * bias_).sum({1, 2});
}

LogProbAndGrad PottsModel::compute_log_prob_and_grad(const torch::Tensor& x) const {
  const torch::Tensor field = couplings_.field(x);
  return {0.5 * (x * field).sum({1, 2}) + (x * bias_).sum({1, 2}), field + bias_};
}

torch::Tensor PottsModel::compute_local_differences(const torch::Tensor& x) const {
  const torch::Tensor g = couplings_.field(x) + bias_;  // f's change per value of site i
  return (g - (x * g).sum(-1, true)).reshape({x.size(0), -1});
}

torch::Tensor PottsModel::compute_site_differences(const torch::Tensor& x,
                                                   const torch::Tensor& sites) const {
  const torch::Tensor g = couplings_.field_at(x, sites) + bias_.index_select(0, sites);
  const torch::Tensor x_i =
      x.gather(1, sites.view({-1, 1, 1}).expand({-1, 1, x.size(2)})).squeeze(1);
  return g - (x_i * g).sum(-1, true);
}

EBMC_REGISTER(register_discrete_target<PottsOptions>(
    "potts", "periodic-lattice Potts, +theta per agreeing edge", [](const PottsOptions& o) {
      return std::make_unique<PottsModel>(
          PottsModel::lattice(o.n(), o.cols() == 0 ? o.n() : o.cols(), o.k(), o.theta()));
    }));

}  // namespace ebmc
