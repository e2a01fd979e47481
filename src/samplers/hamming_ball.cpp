#include "ebmc/samplers/hamming_ball.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/samplers/block_moves.h"
#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

void HammingBallOptions::validate() const {
  if (block() < 1) throw InputError("block must be >= 1", "hb:block");
  if (radius() < 1 || radius() > block()) {
    throw InputError("radius must be in [1, block]", "hb:radius");
  }
}

HammingBall::HammingBall(HammingBallOptions options) : options_(options) { options_.validate(); }

std::string HammingBall::name() const {
  return "hb-" + std::to_string(options_.block()) + "-" + std::to_string(options_.radius());
}

void HammingBall::prepare(const DiscreteTarget& target) {
  if (options_.block() > target.num_sites()) {
    throw InputError("block is larger than the number of sites", "hb:block");
  }
  if (options_.aligned() && target.num_sites() % options_.block() != 0) {
    throw InputError("aligned blocks need the number of sites to be a multiple of block",
                     "hb:aligned");
  }
  offsets_ = hamming_ball_offsets(options_.block(), options_.radius(), target.num_values());
  if (offsets_.size(0) > 4096) {
    throw InputError("the Hamming ball has more than 4096 states", "hb:radius");
  }
}

Info HammingBall::step(State& state, Rng& rng) {
  const int64_t chains = state.chains(), sites = target().num_sites(), b = options_.block();
  const int64_t ball = offsets_.size(0);
  const torch::Tensor blocks = options_.aligned() ? random_aligned_blocks(chains, sites, b, rng)
                                                  : random_blocks(chains, sites, b, rng);
  // u ~ uniform on the ball around x, then x′ ∝ p over the ball around u.
  const torch::Tensor u_pattern = offsets_.index_select(0, rng.random_rows(ball, chains));
  const torch::Tensor u =
      shifted_states(target(), state.x, blocks, u_pattern.unsqueeze(1)).view(state.x.sizes());
  const torch::Tensor candidates = shifted_states(target(), u, blocks, offsets_);
  const torch::Tensor f = target().log_prob(candidates).view({chains, ball});
  const torch::Tensor choice = sample_categorical(f, rng);
  const torch::Tensor next = pick_candidates(candidates, ball, choice);
  Info info = exact_move_info(state.x, next);
  info.energy_evals = chains * (ball + 1);
  // A fresh evaluation of the chosen states: a row's bits may depend on its batch (BLAS).
  state.energy = -target().log_prob(next);
  state.x = next;
  return info;
}

torch::Tensor HammingBall::transition_matrix(const torch::Tensor& states) const {
  const int64_t count = states.size(0), ball = offsets_.size(0);
  const std::vector<torch::Tensor> blocks =
      every_block(target().num_sites(), options_.block(), options_.aligned());
  const torch::Tensor from = torch::arange(count, torch::kInt64);
  torch::Tensor p = torch::zeros({count, count}, torch::kFloat64);
  for (const torch::Tensor& block : blocks) {
    const torch::Tensor expanded = block.unsqueeze(0).expand({count, block.size(0)});
    for (int64_t pattern = 0; pattern < ball; ++pattern) {
      const torch::Tensor u =
          shifted_states(target(), states, expanded, offsets_.narrow(0, pattern, 1));
      const torch::Tensor candidates = shifted_states(target(), u, expanded, offsets_);
      const torch::Tensor conditional =
          torch::softmax(target().log_prob(candidates).view({count, ball}), 1);
      accumulate_transitions(p, from, state_indices(target(), candidates).view({count, ball}),
                             conditional);
    }
  }
  return p / static_cast<double>(blocks.size() * ball);
}

EBMC_REGISTER(register_discrete_sampler<HammingBallOptions>(
    "hb", "Hamming-ball sampler HB-b-r (Titsias & Yau 2017)",
    [](const HammingBallOptions& o) { return std::make_unique<HammingBall>(o); }));

}  // namespace ebmc
