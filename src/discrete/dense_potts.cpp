#include "ebmc/discrete/dense_potts.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/graph.h"
#include "ebmc/discrete/registry.h"

namespace ebmc {

DensePottsModel::DensePottsModel(torch::Tensor couplings, torch::Tensor bias, std::string name)
    : bias_(bias.to(torch::kFloat64).contiguous()), name_(std::move(name)) {
  if (bias_.dim() != 2 || bias_.size(1) < 2) {
    throw InputError("bias must be [sites, K] with K >= 2", name_);
  }
  const int64_t d = bias_.size(0), k = bias_.size(1);
  if (couplings.dim() != 4 || !couplings.sizes().equals({d, k, d, k})) {
    throw InputError("couplings must be [sites, K, sites, K]", name_);
  }
  flat_ = couplings.to(torch::kFloat64).reshape({d * k, d * k}).contiguous();
  if (!torch::allclose(flat_, flat_.t(), 0, 1e-12)) {
    throw InputError("couplings must satisfy J_ij = J_ji transposed", name_);
  }
  if (torch::diagonal(couplings.to(torch::kFloat64), 0, 0, 2).abs().max().item<double>() != 0) {
    throw InputError("a site does not couple to itself (J_ii must be 0)", name_);
  }
}

torch::Tensor DensePottsModel::couplings() const {
  return flat_.view({num_sites(), num_values(), num_sites(), num_values()});
}

torch::Tensor DensePottsModel::interaction_strengths() const {
  return potts_interaction_strengths(couplings());
}

torch::Tensor dense_potts_fields(const torch::Tensor& x, const torch::Tensor& flat,
                                 const torch::Tensor& bias) {
  return x.reshape({x.size(0), -1}).matmul(flat).view(x.sizes()) + bias;
}

torch::Tensor dense_potts_log_prob(const torch::Tensor& x, const torch::Tensor& flat,
                                   const torch::Tensor& bias) {
  const torch::Tensor states = x.reshape({x.size(0), -1});
  return 0.5 * (states.matmul(flat) * states).sum(1) + (x * bias).sum({1, 2});
}

torch::Tensor DensePottsModel::fields(const torch::Tensor& x) const {
  return dense_potts_fields(x, flat_, bias_);
}

torch::Tensor DensePottsModel::compute_log_prob(const torch::Tensor& x) const {
  return dense_potts_log_prob(x, flat_, bias_);
}

LogProbAndGrad DensePottsModel::compute_log_prob_and_grad(const torch::Tensor& x) const {
  const torch::Tensor g = fields(x);
  return {(x * (g + bias_)).sum({1, 2}) * 0.5, g};
}

torch::Tensor DensePottsModel::compute_local_differences(const torch::Tensor& x) const {
  const torch::Tensor g = fields(x);
  return (g - (x * g).sum(-1, true)).reshape({x.size(0), -1});
}

torch::Tensor DensePottsModel::compute_site_differences(const torch::Tensor& x,
                                                        const torch::Tensor& sites) const {
  const int64_t k = num_values();
  // The K rows of J for site i of each chain: [N, K, D·K] · x [N, D·K] → [N, K].
  const torch::Tensor rows =
      (sites.unsqueeze(1) * k + torch::arange(k, sites.options())).reshape({-1});
  const torch::Tensor block = flat_.index_select(0, rows).view({x.size(0), k, -1});
  const torch::Tensor g =
      block.bmm(x.reshape({x.size(0), -1, 1})).squeeze(2) + bias_.index_select(0, sites);
  const torch::Tensor x_i = x.gather(1, sites.view({-1, 1, 1}).expand({-1, 1, k})).squeeze(1);
  return g - (x_i * g).sum(-1, true);
}

torch::Tensor potts_interaction_strengths(const torch::Tensor& couplings) {
  // [D, K, D, K] → blocks [D, D, K, K] in the zero-sum gauge.
  const torch::Tensor blocks = couplings.permute({0, 2, 1, 3});
  const torch::Tensor centred =
      blocks - blocks.mean(-1, true) - blocks.mean(-2, true) + blocks.mean({-2, -1}, true);
  return centred.pow(2).sum({-2, -1}).sqrt();
}

void PottsPlantedOptions::validate() const {
  check_at_least(n(), 2, "potts_planted", "n");
  check_at_least(k(), 2, "potts_planted", "k");
  if (!(degree() > 0)) throw InputError("must be > 0", "potts_planted:degree");
  if (!(scale() >= 0)) throw InputError("must be >= 0", "potts_planted:scale");
  if (!(field() >= 0)) throw InputError("must be >= 0", "potts_planted:field");
}

DensePottsModel planted_potts(const PottsPlantedOptions& o) {
  Rng rng(static_cast<uint64_t>(o.seed()));
  // The contact graph: the edges of an Erdős–Rényi graph (unit weights mark them).
  const torch::Tensor contacts = erdos_renyi(o.n(), o.degree(), 1.0, rng).dense() != 0;
  const torch::Tensor upper = torch::triu(contacts, 1).to(torch::kFloat64);
  torch::Tensor blocks =
      rng.normal({o.n(), o.n(), o.k(), o.k()}) * o.scale() * upper.view({o.n(), o.n(), 1, 1});
  blocks = blocks + blocks.permute({1, 0, 3, 2});  // J_ji = J_ijᵀ
  const torch::Tensor bias = rng.normal({o.n(), o.k()}) * o.field();
  return DensePottsModel(blocks.permute({0, 2, 1, 3}).contiguous(), bias, "potts_planted");
}

EBMC_REGISTER(register_discrete_target<PottsPlantedOptions>(
    "potts_planted",
    "Potts model with full K x K couplings on a random contact graph (structure-learning data)",
    [](const PottsPlantedOptions& o) {
      return std::make_unique<DensePottsModel>(planted_potts(o));
    }));

}  // namespace ebmc
