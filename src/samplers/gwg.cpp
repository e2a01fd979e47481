#include "ebmc/samplers/gwg.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/metropolis.h"
#include "ebmc/core/per_chain.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/gwg_chain.h"

namespace ebmc {

void GwgOptions::validate() const {
  if (flips() < 1) throw InputError("flips must be >= 1", "gwg:flips");
}

GibbsWithGradients::GibbsWithGradients(GwgOptions options) : options_(options) {
  options_.validate();
}

std::string GibbsWithGradients::name() const {
  const std::string base = options_.exact() ? "lb" : "gwg";
  return options_.flips() == 1 ? base : base + "-" + std::to_string(options_.flips());
}

void GibbsWithGradients::prepare(const DiscreteTarget& target) {
  sums_.forget();
  if (target.categorical() && options_.flips() > 1) {
    throw InputError("multi-flip proposals (flips > 1) need a binary target", name());
  }
}

torch::Tensor GibbsWithGradients::move_log_probs(const torch::Tensor& x,
                                                 const torch::Tensor& grad_energy) const {
  const torch::Tensor d = options_.exact() ? target().local_differences(x)
                                           : linearized_differences(target(), x, -grad_energy);
  const torch::Tensor logits = (0.5 * d).masked_fill(no_op_moves(target(), x), -INFINITY);
  return torch::log_softmax(logits, 1);
}

bool GibbsWithGradients::takes_fused_path(const State& state, const Rng& rng) const {
  return !options_.exact() && rng.per_chain() && target().pairwise_energy() != nullptr &&
         is_cpu_float64(state.x) && is_cpu_float64(state.energy) && is_cpu_float64(state.grad);
}

Info GibbsWithGradients::fused_step(State& state, Rng& rng) {
  const int64_t chains = state.chains(), sites = state.x.size(1);
  torch::Tensor changed = torch::empty({chains}, torch::kFloat64);
  double* flips = changed.data_ptr<double>();
  const Couplings& couplings = *target().pairwise_couplings();
  const PairwiseEnergy& exact_energy = *target().pairwise_energy();
  sums_.reserve(chains, sites);
  // The memo is keyed by values (see PairwiseGwgChain::Memo), valid for any target of this size.
  if (static_cast<int64_t>(memo_top_.size()) != chains ||
      static_cast<int64_t>(memo_d_.size()) != chains * sites) {
    memo_d_.assign(static_cast<size_t>(chains * sites), 0.0);
    memo_w_.assign(static_cast<size_t>(chains * sites), 0.0);
    memo_top_.assign(static_cast<size_t>(chains), std::nan(""));
  }
  Info info = per_chain_transitions(
      state, rng, 4096 / sites,
      [&] { return PairwiseGwgChain(couplings, exact_energy, options_.flips()); },
      [&](PairwiseGwgChain& chain, int64_t c, const ChainRow& row, ChainStream& stream) {
        const PairwiseGwgChain::Memo memo{memo_d_.data() + c * sites, memo_w_.data() + c * sites,
                                          memo_top_.data() + c};
        const GwgChainResult r =
            chain.step(row.x, row.energy, row.grad, memo, sums_, c, stream);
        flips[c] = static_cast<double>(r.changed);
        return r.decision;
      });
  info.add_stat("flips__", changed);
  info.energy_evals = chains;
  info.gradient_evals = chains;
  return info;
}

Info GibbsWithGradients::step(State& state, Rng& rng) {
  if (takes_fused_path(state, rng)) return fused_step(state, rng);
  const int64_t chains = state.chains();
  const torch::Tensor log_q = move_log_probs(state.x, state.grad);
  // `flips` moves drawn with replacement from q by inverting its CDF, one row per chain.
  const torch::Tensor cdf = log_q.exp().cumsum(1);
  const torch::Tensor u = rng.uniform({chains, options_.flips()}) * cdf.narrow(1, -1, 1);
  const torch::Tensor moves =
      torch::searchsorted(cdf, u, /*out_int32=*/false, /*right=*/true).clamp_max(cdf.size(1) - 1);
  const State proposal = evaluate(apply_move_sequences(target(), state.x, moves), uses_gradient());
  const torch::Tensor log_q_reverse = move_log_probs(proposal.x, proposal.grad);
  // Binary flips undo themselves; a categorical move is undone by restoring the old value.
  const torch::Tensor back = target().categorical()
                                 ? reverse_moves(target(), state.x, moves.squeeze(1)).unsqueeze(1)
                                 : moves;
  const torch::Tensor log_ratio = state.energy - proposal.energy +
                                  log_q_reverse.gather(1, back).sum(1) -
                                  log_q.gather(1, moves).sum(1);
  const torch::Tensor changed = hamming_distance(target(), state.x, proposal.x);
  Info info = accept_or_reject(state, proposal, log_ratio, rng);
  info.add_stat("flips__", changed * info.accepted);
  info.energy_evals = chains;
  info.gradient_evals = uses_gradient() ? chains : 0;
  return info;
}

torch::Tensor GibbsWithGradients::transition_matrix(const torch::Tensor& states) const {
  const int64_t count = states.size(0), moves = target().num_moves();
  const int64_t n = options_.flips();
  const State all = evaluate(states, uses_gradient());
  const torch::Tensor log_q = move_log_probs(states, all.grad);  // [S, M]
  // Every sequence of n moves, [M^n, n].
  int64_t sequences = 1;
  for (int64_t i = 0; i < n; ++i) sequences *= moves;
  const torch::Tensor seq_index = torch::arange(sequences, torch::kInt64).unsqueeze(1);
  torch::Tensor powers = torch::ones({n}, torch::kInt64);
  for (int64_t i = 1; i < n; ++i) powers[i] = powers[i - 1] * moves;
  const torch::Tensor seqs = torch::remainder(torch::div(seq_index, powers, "floor"), moves);

  torch::Tensor p = torch::zeros({count, count}, torch::kFloat64);
  const torch::Tensor from = torch::arange(count, torch::kInt64);
  std::vector<int64_t> repeated = states.sizes().vec();
  repeated[0] = sequences;
  for (int64_t s = 0; s < count; ++s) {
    const torch::Tensor x = states.narrow(0, s, 1).expand(repeated);
    const torch::Tensor to = state_indices(target(), apply_move_sequences(target(), x, seqs));
    const torch::Tensor log_forward =
        log_q[s].index_select(0, seqs.reshape({-1})).view({sequences, n}).sum(1);
    const torch::Tensor back =
        target().categorical() ? reverse_moves(target(), x, seqs.squeeze(1)).unsqueeze(1) : seqs;
    const torch::Tensor log_reverse = log_q.index_select(0, to).gather(1, back).sum(1);
    const torch::Tensor log_ratio =
        all.energy[s] - all.energy.index_select(0, to) + log_reverse - log_forward;
    const torch::Tensor accept =
        torch::where(torch::isfinite(log_ratio), torch::exp(torch::clamp_max(log_ratio, 0.0)),
                     torch::zeros_like(log_ratio));
    const torch::Tensor propose = torch::exp(log_forward);
    accumulate_transitions(p, from.narrow(0, s, 1), to.unsqueeze(0),
                           (propose * accept).unsqueeze(0));
    p[s][s] += (propose * (1.0 - accept)).sum();
  }
  return p;
}

EBMC_REGISTER(register_discrete_sampler<GwgOptions>(
    "gwg", "Gibbs-With-Gradients (Grathwohl et al. 2021)",
    [](const GwgOptions& o) { return std::make_unique<GibbsWithGradients>(o); }));

EBMC_REGISTER(register_discrete_sampler<GwgOptions>(
    "lb", "locally-balanced proposal q2 with exact local differences (what GWG approximates)",
    [](GwgOptions o) { return std::make_unique<GibbsWithGradients>(o.exact(true)); }));

}  // namespace ebmc
