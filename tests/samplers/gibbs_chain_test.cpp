// The fused random-scan Gibbs update (pairwise_gibbs_update) on Ising models makes the batched
// tensor step's choices.

#include "ebmc/samplers/gibbs_chain.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/gibbs.h"
#include "pairwise_support.h"
#include "test_support.h"

namespace ebmc {
namespace {

class PairwiseGibbsUpdateTest : public testing::SeedingFixture {};

TEST_F(PairwiseGibbsUpdateTest, FusedUpdatesMakeTheTensorPathsChoices) {
  for (const std::string spec :
       {"ising:n=10,theta=0.25", "ising:n=6,theta=-0.3,bias=0.1", "ising_er:n=40,degree=4"}) {
    SCOPED_TRACE(spec);
    const std::unique_ptr<DiscreteTarget> target = make_discrete_target(spec);
    ASSERT_NE(target->pairwise_bias(), nullptr);
    const testing::WithoutPairwiseStructure tensor_only(*target);
    Rng init(5);
    const torch::Tensor x0 = target->random_states(7, init);
    Gibbs fused_gibbs, tensor_gibbs;
    const testing::DiscreteTrace fused =
        testing::run_discrete_kernel(fused_gibbs, *target, x0, 400);
    const testing::DiscreteTrace tensor =
        testing::run_discrete_kernel(tensor_gibbs, tensor_only, x0, 400);
    int64_t moved = 0;
    for (size_t t = 0; t < fused.x.size(); ++t) {
      ASSERT_TRUE(torch::equal(fused.x[t], tensor.x[t])) << "states differ at step " << t;
      ASSERT_TRUE(torch::equal(fused.energy[t], tensor.energy[t])) << t;
      if (t > 0) moved += (fused.x[t] != fused.x[t - 1]).any(1).sum().item<int64_t>();
    }
    EXPECT_GT(moved, 200);
    // The energy it carries is a fresh evaluation's, bit for bit, at every step.
    for (size_t t = 0; t < fused.x.size(); ++t) {
      ASSERT_TRUE(torch::equal(fused.energy[t], -target->log_prob(fused.x[t]))) << t;
    }
  }
}

}  // namespace
}  // namespace ebmc
