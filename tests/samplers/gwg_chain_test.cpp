// The fused per-chain GWG step (PairwiseGwgChain) on Ising models takes the batched tensor step's
// moves and decisions, whatever the thread count.

#include "ebmc/samplers/gwg_chain.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/gwg.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// A target's evaluations without its pairwise structure: GWG then takes the tensor path.
class WithoutPairwiseStructure : public DiscreteTarget {
 public:
  explicit WithoutPairwiseStructure(const DiscreteTarget& inner) : inner_(inner) {}
  std::string name() const override { return "without_pairwise"; }
  int64_t num_sites() const override { return inner_.num_sites(); }

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override {
    return inner_.log_prob(x);
  }
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override {
    return inner_.log_prob_and_grad(x);
  }
  torch::Tensor compute_local_differences(const torch::Tensor& x) const override {
    return inner_.local_differences(x);
  }

 private:
  const DiscreteTarget& inner_;
};

struct GwgTrace {
  std::vector<torch::Tensor> x, energy, grad, accept_prob;
};

GwgTrace run_gwg(const DiscreteTarget& target, const torch::Tensor& x0, int64_t steps) {
  GibbsWithGradients gwg;
  State state = gwg.init(target, x0);
  Rng rng(11, ChainStreams{0, x0.size(0)});
  GwgTrace trace;
  for (int64_t t = 0; t < steps; ++t) {
    rng.next_transition();
    const Info info = gwg.step(state, rng);
    trace.x.push_back(state.x);
    trace.energy.push_back(state.energy);
    trace.grad.push_back(state.grad);
    trace.accept_prob.push_back(info.accept_prob);
  }
  return trace;
}

class PairwiseGwgChainTest : public testing::SeedingFixture {};

TEST_F(PairwiseGwgChainTest, FusedStepsTakeTheTensorPathsMovesAndDecisions) {
  for (const std::string spec :
       {"ising:n=10,theta=0.25", "ising:n=6,theta=-0.3,bias=0.1", "ising_er:n=40,degree=4"}) {
    SCOPED_TRACE(spec);
    const std::unique_ptr<DiscreteTarget> target = make_discrete_target(spec);
    ASSERT_NE(target->pairwise_couplings(), nullptr);
    const WithoutPairwiseStructure tensor_only(*target);
    Rng init(5);
    const torch::Tensor x0 = target->random_states(7, init);
    const GwgTrace fused = run_gwg(*target, x0, 300);
    const GwgTrace tensor = run_gwg(tensor_only, x0, 300);
    int64_t accepted = 0;
    for (size_t t = 0; t < fused.x.size(); ++t) {
      ASSERT_TRUE(torch::equal(fused.x[t], tensor.x[t])) << "states differ at step " << t;
      ASSERT_TRUE(torch::allclose(fused.energy[t], tensor.energy[t], 1e-12, 1e-12)) << t;
      ASSERT_TRUE(torch::allclose(fused.grad[t], tensor.grad[t], 1e-12, 1e-12)) << t;
      ASSERT_TRUE(torch::allclose(fused.accept_prob[t], tensor.accept_prob[t], 1e-12, 1e-12));
      if (t > 0) accepted += (fused.x[t] != fused.x[t - 1]).any(1).sum().item<int64_t>();
    }
    EXPECT_GT(accepted, 300);  // the chains moved (7 chains × 299 steps)
  }
}

TEST_F(PairwiseGwgChainTest, DrawsDoNotDependOnTheThreadCount) {
  const std::unique_ptr<DiscreteTarget> target = make_discrete_target("ising:n=12,theta=0.4");
  Rng init(6);
  const torch::Tensor x0 = target->random_states(9, init);
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const GwgTrace one = run_gwg(*target, x0, 50);
  at::set_num_threads(3);
  const GwgTrace three = run_gwg(*target, x0, 50);
  at::set_num_threads(threads);
  for (size_t t = 0; t < one.x.size(); ++t) EXPECT_TRUE(torch::equal(one.x[t], three.x[t])) << t;
}

}  // namespace
}  // namespace ebmc
