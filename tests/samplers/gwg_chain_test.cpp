// The fused per-chain GWG step (PairwiseGwgChain) on Ising models takes the batched tensor step's
// moves and decisions, whatever the thread count.

#include "ebmc/samplers/gwg_chain.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/gwg.h"
#include "pairwise_support.h"
#include "test_support.h"

namespace ebmc {
namespace {

testing::DiscreteTrace run_gwg(const DiscreteTarget& target, const torch::Tensor& x0, int64_t steps,
                               int64_t flips = 1) {
  GibbsWithGradients gwg(GwgOptions().flips(flips));
  return testing::run_discrete_kernel(gwg, target, x0, steps);
}

class PairwiseGwgChainTest : public testing::SeedingFixture {};

TEST_F(PairwiseGwgChainTest, FusedStepsTakeTheTensorPathsMovesAndDecisions) {
  for (const auto& [spec, flips] :
       std::vector<std::pair<std::string, int64_t>>{{"ising:n=10,theta=0.25", 1},
                                                    {"ising:n=6,theta=-0.3,bias=0.1", 1},
                                                    {"ising_er:n=40,degree=4", 1},
                                                    {"ising:n=10,theta=0.25", 3},
                                                    {"ising:n=5,theta=0.1,bias=-0.1", 5},
                                                    {"ising_er:n=40,degree=4", 3}}) {
    SCOPED_TRACE(spec + " flips " + std::to_string(flips));
    const std::unique_ptr<DiscreteTarget> target = make_discrete_target(spec);
    ASSERT_NE(target->pairwise_couplings(), nullptr);
    const testing::WithoutPairwiseStructure tensor_only(*target);
    Rng init(5);
    const torch::Tensor x0 = target->random_states(7, init);
    const testing::DiscreteTrace fused = run_gwg(*target, x0, 300, flips);
    const testing::DiscreteTrace tensor = run_gwg(tensor_only, x0, 300, flips);
    int64_t accepted = 0;
    for (size_t t = 0; t < fused.x.size(); ++t) {
      ASSERT_TRUE(torch::equal(fused.x[t], tensor.x[t])) << "states differ at step " << t;
      ASSERT_TRUE(torch::equal(fused.energy[t], tensor.energy[t])) << t;
      ASSERT_TRUE(torch::equal(fused.energy[t], -target->log_prob(fused.x[t]))) << t;
      ASSERT_TRUE(torch::allclose(fused.grad[t], tensor.grad[t], 1e-12, 1e-12)) << t;
      ASSERT_TRUE(torch::allclose(fused.accept_prob[t], tensor.accept_prob[t], 1e-12, 1e-12));
      ASSERT_TRUE(torch::equal(fused.flips[t], tensor.flips[t])) << t;
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
  const testing::DiscreteTrace one = run_gwg(*target, x0, 50);
  at::set_num_threads(3);
  const testing::DiscreteTrace three = run_gwg(*target, x0, 50);
  at::set_num_threads(threads);
  for (size_t t = 0; t < one.x.size(); ++t) EXPECT_TRUE(torch::equal(one.x[t], three.x[t])) << t;
}

}  // namespace
}  // namespace ebmc
