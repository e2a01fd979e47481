// `ebmc bench --only`: which cases a text selects.

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

}  // namespace
}  // namespace ebmc::bench
