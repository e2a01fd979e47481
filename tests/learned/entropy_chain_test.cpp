// The proposal-entropy sampler's fused per-chain transitions against its tensor path.

#include "ebmc/learned/entropy_chain.h"

#include <gtest/gtest.h>

#include "ebmc/learned/entropy_sampler.h"
#include "ebmc/targets/registry.h"
#include "learned_test_support.h"

namespace ebmc {
namespace {

TEST(EntropySamplerTest, FusedChainsAgreeWithTheTensorPath) {
  for (const EntropyVariant variant :
       {EntropyVariant::kFull, EntropyVariant::kNoGrad, EntropyVariant::kLangevin}) {
    for (const std::string spec : {"banana", "icg:d=6", "funnel:d=5"}) {
      for (const bool precondition : {false, true}) {
        SCOPED_TRACE(spec + " " + entropy_variant_name(variant) +
                     (precondition ? " preconditioned" : ""));
        const auto target = make_target(spec);
        const int64_t d = target->dim();
        Rng rng(8);
        // The Langevin variant's learned translation T(x) needs noise of its size to be reversible.
        const double step = variant == EntropyVariant::kLangevin ? 0.3 : 0.03;
        EntropySampler kernel(d,
                              EntropySamplerOptions()
                                  .variant(variant)
                                  .width(12)
                                  .coupling_steps(2)
                                  .step_size(step)
                                  .precondition(precondition),
                              rng);
        testing::perturb_entropy_sampler(kernel, 0.05, rng);
        // 11 chains: a block of 8 and one of 3.
        testing::expect_fused_path_matches_tensor_path(kernel, *target, 0.3 * rng.normal({11, d}),
                                                       4);
      }
    }
  }
}

/// A perturbed (untrained-looking) kernel of `width` on the 6-d ICG and 13 starting states.
struct PerturbedIcgKernel {
  PerturbedIcgKernel(int64_t width, uint64_t seed)
      : target(make_target("icg:d=6")),
        rng(seed),
        kernel(6, EntropySamplerOptions().width(width).step_size(0.05), rng) {
    testing::perturb_entropy_sampler(kernel, 0.05, rng);
    x0 = 0.3 * rng.normal({13, 6});
  }
  std::shared_ptr<Target> target;
  Rng rng;
  EntropySampler kernel;
  torch::Tensor x0;
};

TEST(EntropySamplerTest, AChainMovesAloneAsInABlockInEitherPrecision) {
  PerturbedIcgKernel setup(12, 6);
  EntropySampler& kernel = setup.kernel;
  const Target& target = *setup.target;
  const torch::Tensor& x0 = setup.x0;
  for (NetworkPrecision precision : {NetworkPrecision::kFloat64, NetworkPrecision::kFloat32}) {
    kernel.set_network_precision(precision);
    const torch::Tensor alone = testing::first_five_after(kernel, target, x0, 5, 5);
    EXPECT_TRUE(torch::equal(alone, testing::first_five_after(kernel, target, x0, 13, 5)));
    EXPECT_TRUE(torch::equal(alone, testing::first_five_after(kernel, target, x0, 9, 5)));
    EXPECT_FALSE(torch::equal(alone, x0.narrow(0, 0, 5)));  // the chains moved
  }
}

TEST(EntropySamplerTest, Float32NetworksMoveTheChainsAsFloat64ToSinglePrecision) {
  PerturbedIcgKernel setup(16, 7);
  EntropySampler& kernel = setup.kernel;
  const Target& target = *setup.target;
  const torch::Tensor& x0 = setup.x0;
  const torch::Tensor f64 = testing::first_five_after(kernel, target, x0, 13, 3);
  kernel.set_network_precision(NetworkPrecision::kFloat32);
  const torch::Tensor f32 = testing::first_five_after(kernel, target, x0, 13, 3);
  EXPECT_FALSE(torch::equal(f64, f32));  // the float32 networks ran
  EXPECT_TRUE(torch::allclose(f64, f32, 1e-5, 1e-6));
}

}  // namespace
}  // namespace ebmc
