// `ebmc bench --only`: which cases a text selects; `ebmc bench learned --quick` on one case.

#include "experiments/experiments.h"

#include <gtest/gtest.h>

namespace ebmc::bench {
namespace {

TEST(BenchOnlyTest, SelectsBySubstringOrByAnAnchoredEnd) {
  const std::string plain = "l2hmc:leapfrog=10,hidden=100,burn_in=0";
  const std::string scaled = plain + ",jump=scaled";
  EXPECT_TRUE(only_selects("", {"icg", plain}));
  EXPECT_TRUE(only_selects("icg", {"icg", plain}));
  EXPECT_TRUE(only_selects("burn_in=0", {"icg", plain}));
  EXPECT_TRUE(only_selects("burn_in=0", {"icg", scaled}));
  EXPECT_FALSE(only_selects("scg", {"icg", plain}));
  // A trailing $ anchors the text at the end of a field.
  EXPECT_TRUE(only_selects("hidden=100,burn_in=0$", {"icg", plain}));
  EXPECT_FALSE(only_selects("hidden=100,burn_in=0$", {"icg", scaled}));
  EXPECT_TRUE(only_selects("icg$", {"icg", scaled}));
  EXPECT_FALSE(only_selects("a-much-longer-text-than-any-field$", {"icg", plain}));
}

TEST(LearnedBenchTest, ComparesSCGWithTheReleasedHmcToo) {
  BenchOptions options;
  options.quick = true;
  options.chains = 16;
  options.only = "leapfrog=3,hidden=10,precondition=1,fit_factor=1,jitter=0.5,jump=scaled$";
  const nlohmann::json runs = run_learned_bench(options)["runs"];
  bool released_row = false, summary_row = false;
  for (const nlohmann::json& row : runs) {
    const std::string sampler = row.value("sampler", "");
    if (sampler.rfind("hmc:num_steps=10,step_size=0.15,adapt=0", 0) == 0) {
      released_row = true;
      EXPECT_GT(row["ess_per_transition"].get<double>(), 0);
    }
    if (row.contains("seeds")) {
      summary_row = true;
      EXPECT_EQ(row["released_hmc"],
                "hmc:num_steps=10,step_size=0.15,adapt=0,jitter=0,metric=unit");
      const nlohmann::json& ratios = row["seeds"]["ratio_ess_per_transition_vs_released_hmc"];
      ASSERT_EQ(ratios.size(), 1u);
      EXPECT_GT(ratios[0].get<double>(), 0);
    }
  }
  EXPECT_TRUE(released_row);
  EXPECT_TRUE(summary_row);
}

}  // namespace
}  // namespace ebmc::bench
