// L2HMC's fused per-chain transitions against its tensor path, and in blocks of chains.

#include "ebmc/learned/l2hmc_chain.h"

#include <gtest/gtest.h>

#include "ebmc/learned/l2hmc.h"
#include "ebmc/targets/registry.h"
#include "learned_test_support.h"

namespace ebmc {
namespace {

TEST(L2hmcTest, FusedChainsAgreeWithTheTensorPath) {
  for (const std::string spec : {"mog", "icg:d=6", "funnel:d=5", "blr:data=pima"}) {
    for (const bool precondition : {false, true}) {
      SCOPED_TRACE(spec + (precondition ? " preconditioned, jittered" : ""));
      const auto target = make_target(spec);
      const int64_t d = target->dim();
      Rng rng(3);
      // (With a plain HMC transition after the learned one on all but the first.)
      const int64_t hmc_steps = spec == "mog" ? 0 : 3;
      L2hmc kernel(d,
                   L2hmcOptions()
                       .leapfrog_steps(4)
                       .hidden(8)
                       .step_size(0.05)
                       .hmc_steps(hmc_steps)
                       .precondition(precondition)
                       .jitter(precondition ? 0.5 : 0.0),
                   rng);
      testing::perturb_parameters(kernel, 0.1, rng);
      if (precondition) kernel.set_factor(testing::random_lower_factor(d, 0.1, rng));
      testing::expect_fused_path_matches_tensor_path(kernel, *target, 0.3 * rng.normal({7, d}), 4);
    }
  }
}

TEST(L2hmcTest, AChainMovesAloneAsInABlockInEitherPrecision) {
  // Each chain has its own direction, time encodings and jittered step size within a block.
  const auto target = make_target("icg:d=6");
  Rng rng(5);
  L2hmc kernel(
      6, L2hmcOptions().leapfrog_steps(4).hidden(8).step_size(0.05).jitter(0.5).hmc_steps(2), rng);
  testing::perturb_parameters(kernel, 0.1, rng);
  const torch::Tensor x0 = 0.3 * rng.normal({13, 6});
  for (NetworkPrecision precision : {NetworkPrecision::kFloat64, NetworkPrecision::kFloat32}) {
    kernel.set_network_precision(precision);
    const torch::Tensor alone = testing::first_five_after(kernel, *target, x0, 5, 5);
    EXPECT_TRUE(torch::equal(alone, testing::first_five_after(kernel, *target, x0, 13, 5)));
    EXPECT_TRUE(torch::equal(alone, testing::first_five_after(kernel, *target, x0, 9, 5)));
    EXPECT_FALSE(torch::equal(alone, x0.narrow(0, 0, 5)));  // the chains moved
  }
}

TEST(L2hmcTest, Float32NetworksMoveTheChainsAsFloat64ToSinglePrecision) {
  const auto target = make_target("icg:d=6");
  for (const bool precondition : {false, true}) {
    SCOPED_TRACE(precondition ? "preconditioned" : "");
    Rng rng(4);
    L2hmc kernel(
        6, L2hmcOptions().leapfrog_steps(4).hidden(8).step_size(0.05).precondition(precondition),
        rng);
    testing::perturb_parameters(kernel, 0.1, rng);
    if (precondition) kernel.set_factor(testing::random_lower_factor(6, 0.1, rng));
    const torch::Tensor x0 = 0.3 * rng.normal({7, 6});
    const torch::Tensor f64 = testing::chains_after(kernel, *target, x0, 3);
    kernel.set_network_precision(NetworkPrecision::kFloat32);
    // (Only the fused path has float32 networks: with L too, the chains run in it.)
    const torch::Tensor f32 = testing::chains_after(kernel, *target, x0, 3);
    EXPECT_FALSE(torch::equal(f64, f32));  // the float32 networks ran
    EXPECT_FALSE(torch::equal(f64, x0));   // and the chains moved
    EXPECT_TRUE(torch::allclose(f64, f32, 1e-5, 1e-6));
    // A target without the fused path cannot run float32 networks: refused, not ignored.
    const testing::WithoutRowEnergy tensor_only(*target);
    EXPECT_THROW(kernel.init(tensor_only, x0), InputError);
  }
}

}  // namespace
}  // namespace ebmc
