// A chain's draws depend on (seed, global chain index) only: not on the number of chains beside
// it, on --chain-offset, or on the number of threads (issue: trustworthy runs, section 5).

#include "ebmc/core/determinism.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include "ebmc/samplers/sample.h"

namespace ebmc {
namespace {

torch::Tensor sample_draws(const std::string& target, const std::string& sampler, int64_t chains,
                           int64_t first_chain, int threads) {
  const int previous = at::get_num_threads();
  at::set_num_threads(threads);
  SampleRequest request;
  request.target = target;
  request.sampler = sampler;
  request.chains = chains;
  request.seed = 17;
  request.run = RunOptions().warmup(60).draws(30).first_chain(first_chain);
  RunResult result = SampleJob(request).run();
  at::set_num_threads(previous);
  return torch::cat({result.draws, result.stats}, 2);  // [draws, chains, k]: states and stats
}

struct Case {
  const char* target;
  const char* sampler;
};

class ReproducibilityTest : public ::testing::TestWithParam<Case> {};

TEST_P(ReproducibilityTest, ChainsDependOnlyOnSeedAndIndex) {
  const Case c = GetParam();
  const torch::Tensor six = sample_draws(c.target, c.sampler, 6, 0, 1);
  // Chains 1–3 of a 3-chain run, chains 4–6 run in another "process" with an offset, and the
  // 6-chain run with two threads: identical bits.
  EXPECT_TRUE(torch::equal(sample_draws(c.target, c.sampler, 3, 0, 1), six.narrow(1, 0, 3)));
  EXPECT_TRUE(torch::equal(sample_draws(c.target, c.sampler, 3, 3, 2), six.narrow(1, 3, 3)));
  EXPECT_TRUE(torch::equal(sample_draws(c.target, c.sampler, 6, 0, 2), six));
}

INSTANTIATE_TEST_SUITE_P(
    Samplers, ReproducibilityTest,
    ::testing::Values(Case{"rotated_icg:d=10", "mala"}, Case{"rotated_icg:d=10", "nuts"},
                      Case{"blr:data=sonar", "nuts"}, Case{"funnel:d=5", "hmc"},
                      Case{"gaussian:d=4", "barker"}, Case{"ising:n=5", "gwg"},
                      Case{"rbm:visible=12,hidden=4", "rbm_gibbs"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = std::string(info.param.target) + "_" + info.param.sampler;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(ReproducibilityTest, LibrarySelectsPortableKernels) { EXPECT_TRUE(portable_cpu_kernels()); }

TEST(ReproducibilityTest, SingleThreadScopeRestoresTheThreadCount) {
  const int threads = at::get_num_threads();
  {
    SingleThreadScope scope;
    EXPECT_EQ(at::get_num_threads(), 1);
  }
  EXPECT_EQ(at::get_num_threads(), threads);
}

}  // namespace
}  // namespace ebmc
