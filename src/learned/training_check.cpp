#include "ebmc/learned/training_check.h"

#include <algorithm>
#include <cstdio>

#include "ebmc/diagnostics/chain_matrix.h"
#include "ebmc/diagnostics/rhat.h"

namespace ebmc {

MixingCheck check_mixing(LearnedKernel& kernel, const Target& target, const torch::Tensor& chains,
                         int64_t transitions, uint64_t seed, int64_t max_chains) {
  torch::NoGradGuard no_grad;
  MixingCheck check;
  check.chains = std::min(chains.size(0), max_chains);
  check.transitions = transitions;
  const int64_t dim = chains.size(1);
  State state = kernel.init(target, chains.narrow(0, 0, check.chains).detach().clone());
  Rng rng(seed, ChainStreams{0, check.chains});
  torch::Tensor draws = torch::empty({transitions, check.chains, dim}, torch::kFloat64);
  double accept = 0, jump = 0;
  for (int64_t t = 0; t < transitions; ++t) {
    const torch::Tensor before = state.x;
    const Info info = kernel.step(state, rng);
    rng.next_transition();
    accept += info.accept_prob.mean().item<double>();
    jump += (state.x - before).pow(2).sum(1).mean().item<double>();
    draws[t] = state.x;
  }
  check.accept = accept / static_cast<double>(transitions);
  check.esjd = jump / static_cast<double>(transitions);
  double worst = 0;
  for (int64_t i = 0; i < dim; ++i) {
    const double r = rhat(ChainMatrix::from_tensor(draws.select(2, i)));
    if (!(r <= worst)) worst = r;  // NaN (a constant coordinate) propagates
  }
  check.max_rhat = worst;
  return check;
}

std::string training_failure(const MixingCheck& trained, const MixingCheck& untrained,
                             const TrainingCheckOptions& options) {
  char text[400];
  if (!(trained.max_rhat <= options.max_rhat)) {
    std::snprintf(text, sizeof text,
                  "the trained kernel does not mix: R-hat %.3g over %lld chains x %lld "
                  "transitions from the training chains (above %.3g)",
                  trained.max_rhat, static_cast<long long>(trained.chains),
                  static_cast<long long>(trained.transitions), options.max_rhat);
    return text;
  }
  if (!(trained.esjd >= options.min_esjd_gain * untrained.esjd)) {
    const bool lowered = trained.esjd < 0.9 * untrained.esjd;
    std::snprintf(text, sizeof text,
                  "the expected squared jump %s: %.4g per transition against the untrained "
                  "kernel's %.4g (acceptance %.3f, untrained %.3f)",
                  lowered ? "fell through training" : "stayed near its start", trained.esjd,
                  untrained.esjd, trained.accept, untrained.accept);
    return text;
  }
  return "";
}

}  // namespace ebmc
