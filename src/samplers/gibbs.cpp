#include "ebmc/samplers/gibbs.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/samplers/block_moves.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/gibbs_chain.h"

namespace ebmc {

void GibbsOptions::validate() const {
  if (block() < 1) throw InputError("block must be >= 1", "gibbs:block");
}

Gibbs::Gibbs(GibbsOptions options) : options_(options) { options_.validate(); }

std::string Gibbs::name() const { return "gibbs-" + std::to_string(options_.block()); }

void Gibbs::prepare(const DiscreteTarget& target) {
  sums_.forget();
  if (options_.block() > target.num_sites()) {
    throw InputError("block is larger than the number of sites", "gibbs:block");
  }
  if (std::pow(static_cast<double>(target.num_values()), options_.block()) > 4096) {
    throw InputError("K^block exceeds 4096 candidate states per step", "gibbs:block");
  }
  offsets_ = all_offsets(options_.block(), target.num_values());
  position_ = 0;
  const int64_t b = options_.block();
  sweep_steps_ = options_.sweep() ? (target.num_sites() + b - 1) / b : 1;
}

Gibbs::BlockUpdate Gibbs::block_conditional(const torch::Tensor& x, const torch::Tensor& energy,
                                            const torch::Tensor& blocks) const {
  const int64_t n = x.size(0);
  BlockUpdate update;
  if (options_.block() == 1) {
    // Single site: exact site differences (local fields) give every value's log-probability.
    const torch::Tensor sites = blocks.select(1, 0);
    torch::Tensor delta = target().site_differences(x, sites);  // [N, 1] or [N, K]
    if (!target().categorical()) delta = torch::cat({torch::zeros_like(delta), delta}, 1);
    update.candidates =
        target().categorical()
            ? apply_moves(
                  target(), x.repeat_interleave(delta.size(1), 0),
                  (sites.unsqueeze(1) * delta.size(1) + torch::arange(delta.size(1), torch::kInt64))
                      .reshape({-1}))
            : torch::stack({x, apply_moves(target(), x, sites)}, 1).reshape({2 * n, -1});
    update.energies = energy.unsqueeze(1) - delta;
  } else {
    update.candidates = shifted_states(target(), x, blocks, offsets_);
    update.energies = -target().log_prob(update.candidates).view({n, offsets_.size(0)});
  }
  update.log_probs = torch::log_softmax(-update.energies, 1);
  return update;
}

Info Gibbs::fused_step(State& state, Rng& rng) {
  const int64_t chains = state.chains(), sites = state.x.size(1);
  torch::Tensor x = state.x.clone(), energy = state.energy.clone();
  torch::Tensor changed = torch::empty({chains}, torch::kFloat64);
  double *xs = x.data_ptr<double>(), *es = energy.data_ptr<double>();
  double* flips = changed.data_ptr<double>();
  const Couplings& couplings = *target().pairwise_couplings();
  const torch::Tensor bias = target().pairwise_bias()->contiguous();
  const double* b = bias.data_ptr<double>();
  const PairwiseEnergy& exact = *target().pairwise_energy();
  sums_.reserve(chains, sites);
  // Each chain on its own stream: the draws depend on neither the thread count nor the others.
  at::parallel_for(0, chains, std::max<int64_t>(1, 65536 / sites), [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      ChainStream stream = rng.chain_stream(c);
      const bool moved =
          pairwise_gibbs_update(couplings, b, exact, sums_, c, xs + c * sites, es + c, stream);
      flips[c] = moved ? 1.0 : 0.0;
    }
  });
  state.x = x;
  state.energy = energy;
  Info info;
  info.accept_prob = torch::ones({chains}, torch::kFloat64);
  info.accepted = changed > 0;
  info.add_stat("flips__", changed);
  info.energy_evals = chains;
  return info;
}

Info Gibbs::step(State& state, Rng& rng) {
  if (options_.block() == 1 && !options_.sweep() && rng.per_chain() &&
      target().pairwise_energy() != nullptr && is_cpu_float64(state.x) &&
      is_cpu_float64(state.energy)) {
    return fused_step(state, rng);
  }
  const int64_t chains = state.chains(), sites = target().num_sites(), b = options_.block();
  torch::Tensor blocks;
  if (options_.sweep()) {
    blocks = torch::remainder(position_ + torch::arange(b, torch::kInt64), sites)
                 .unsqueeze(0)
                 .expand({chains, b});
    position_ += b;
    if (position_ >= sites) position_ = 0;  // a new sweep starts at site 0
  } else {
    blocks =
        b == 1 ? rng.random_rows(sites, chains).unsqueeze(1) : random_blocks(chains, sites, b, rng);
  }
  const BlockUpdate update = block_conditional(state.x, state.energy, blocks);
  const int64_t per_chain = update.log_probs.size(1);
  const torch::Tensor choice = sample_categorical(update.log_probs, rng);
  const torch::Tensor next = pick_candidates(update.candidates, per_chain, choice);
  Info info = exact_move_info(state.x, next);
  // A fresh evaluation, not U − Δ: the recorded energy is f at the state, bit for bit.
  state.energy = -target().log_prob(next);
  state.x = next;
  // A single site costs K − 1 local differences; a block evaluates f at its K^b assignments;
  // then f at the chosen state.
  info.energy_evals = chains * ((b == 1 ? target().num_values() - 1 : per_chain) + 1);
  return info;
}

torch::Tensor Gibbs::block_matrix(const torch::Tensor& states, const torch::Tensor& energy,
                                  const torch::Tensor& block) const {
  const int64_t count = states.size(0);
  const BlockUpdate update =
      block_conditional(states, energy, block.unsqueeze(0).expand({count, block.size(0)}));
  torch::Tensor p = torch::zeros({count, count}, torch::kFloat64);
  const int64_t per_chain = update.log_probs.size(1);
  accumulate_transitions(p, torch::arange(count, torch::kInt64),
                         state_indices(target(), update.candidates).view({count, per_chain}),
                         update.log_probs.exp());
  return p;
}

torch::Tensor Gibbs::transition_matrix(const torch::Tensor& states) const {
  const torch::Tensor energy = -target().log_prob(states);
  const int64_t sites = target().num_sites(), b = options_.block();
  if (options_.sweep()) {
    torch::Tensor p = torch::eye(states.size(0), torch::kFloat64);
    for (int64_t start = 0; start < sites; start += b) {
      const torch::Tensor block = torch::remainder(start + torch::arange(b, torch::kInt64), sites);
      p = torch::matmul(p, block_matrix(states, energy, block));
    }
    return p;
  }
  const std::vector<torch::Tensor> blocks = every_block(sites, b, /*aligned=*/false);
  torch::Tensor p = torch::zeros({states.size(0), states.size(0)}, torch::kFloat64);
  for (const torch::Tensor& block : blocks) p += block_matrix(states, energy, block);
  return p / static_cast<double>(blocks.size());
}

EBMC_REGISTER(register_discrete_sampler<GibbsOptions>(
    "gibbs", "Gibbs: single-site (random scan or sweep) or blocks of b sites",
    [](const GibbsOptions& o) { return std::make_unique<Gibbs>(o); }));

}  // namespace ebmc
