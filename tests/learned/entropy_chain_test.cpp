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
      SCOPED_TRACE(spec + " " + entropy_variant_name(variant));
      const auto target = make_target(spec);
      const int64_t d = target->dim();
      Rng rng(5);
      // The Langevin variant's learned translation T(x) needs noise of its size to be reversible.
      const double step = variant == EntropyVariant::kLangevin ? 0.3 : 0.03;
      EntropySampler kernel(
          d, EntropySamplerOptions().variant(variant).width(12).coupling_steps(2).step_size(step),
          rng);
      testing::perturb_parameters(kernel, 0.05, rng);
      testing::expect_fused_path_matches_tensor_path(kernel, *target, 0.3 * rng.normal({6, d}), 4);
    }
  }
}

}  // namespace
}  // namespace ebmc
