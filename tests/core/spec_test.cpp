#include "ebmc/core/spec.h"

#include <gtest/gtest.h>

#include "ebmc/core/errors.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/targets/registry.h"

namespace ebmc {
namespace {

TEST(SpecTest, ParsesNameAndTypedOptions) {
  Spec spec = Spec::parse("funnel:d=20,sigma=3.5,mode=fast", "--target");
  EXPECT_EQ(spec.name(), "funnel");
  EXPECT_EQ(spec.get_int("d", 0), 20);
  EXPECT_DOUBLE_EQ(spec.get_double("sigma", 0), 3.5);
  EXPECT_EQ(spec.get_string("mode", ""), "fast");
  EXPECT_EQ(spec.get_int("absent", 7), 7);
  EXPECT_NO_THROW(spec.reject_unused());
  EXPECT_EQ(Spec::parse("rwm", "--sampler").name(), "rwm");
}

TEST(SpecTest, FlagsAreZeroOrOneOrTrueOrFalse) {
  Spec spec = Spec::parse("s:a=1,b=0,c=true,d=false,e=2,f=yes", "--sampler");
  EXPECT_TRUE(spec.get_flag("a", false));
  EXPECT_FALSE(spec.get_flag("b", true));
  EXPECT_TRUE(spec.get_flag("c", false));
  EXPECT_FALSE(spec.get_flag("d", true));
  EXPECT_TRUE(spec.get_flag("absent", true));
  for (const char* key : {"e", "f"}) {
    try {
      spec.get_flag(key, false);
      FAIL() << key;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("must be 0 or 1 (or true or false)"), std::string::npos);
      EXPECT_EQ(e.where(), std::string("--sampler s:") + key);
    }
  }
}

TEST(SpecTest, RejectsMalformedAndUnknownOptions) {
  EXPECT_THROW(Spec::parse(":d=2", "--target"), InputError);
  EXPECT_THROW(Spec::parse("g:d", "--target"), InputError);
  EXPECT_THROW(Spec::parse("g:d=1,d=2", "--target"), InputError);
  EXPECT_THROW(Spec::parse("g:d=1,", "--target"), InputError);
  Spec spec = Spec::parse("g:d=x,s=nan,extra=1", "--target");
  EXPECT_THROW(spec.get_int("d", 0), InputError);
  EXPECT_THROW(spec.get_double("s", 0), InputError);
  try {
    spec.reject_unused();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "--target g:extra");
  }
}

TEST(RegistryTest, BuildsKnownComponentsAndRejectsUnknownOnes) {
  EXPECT_EQ(make_target("gaussian:d=7")->dim(), 7);
  EXPECT_EQ(make_sampler("rwm:step_size=0.3").kernel->step_size(), 0.3);
  EXPECT_THROW(make_target("nope"), InputError);
  EXPECT_THROW(make_target("gaussian:d=0"), InputError);
  EXPECT_THROW(make_target("gaussian:scale=-1"), InputError);
  EXPECT_THROW(make_target("gaussian:dim=3"), InputError);
  EXPECT_THROW(make_sampler("rwm:step_size=-1"), InputError);
  EXPECT_THROW(make_sampler("hmc9"), InputError);
}

}  // namespace
}  // namespace ebmc
