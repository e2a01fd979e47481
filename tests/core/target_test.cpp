#include "ebmc/core/target.h"

#include <gtest/gtest.h>

#include "ebmc/core/errors.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Uses only the autograd default for the gradient.
class QuarticTarget : public Target {
 public:
  int64_t dim() const override { return 3; }
  std::string name() const override { return "quartic"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override {
    return 0.25 * x.pow(4).sum(1) + x.select(1, 0) * x.select(1, 1);
  }
};

/// Returns an energy of the wrong shape.
class BrokenTarget : public Target {
 public:
  int64_t dim() const override { return 2; }
  std::string name() const override { return "broken"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override { return x.sum(); }
};

class TargetTest : public testing::SeedingFixture {};

TEST_F(TargetTest, AutogradGradientMatchesAnalyticFormula) {
  QuarticTarget target;
  torch::Tensor x = torch::randn({5, 3}, torch::kFloat64);
  EnergyAndGrad eg = target.energy_and_grad(x);
  torch::Tensor expected = x.pow(3);
  expected.select(1, 0) += x.select(1, 1);
  expected.select(1, 1) += x.select(1, 0);
  EXPECT_TRUE(torch::allclose(eg.grad, expected, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(eg.energy, target.energy(x)));
  EXPECT_FALSE(eg.energy.requires_grad());
  EXPECT_FALSE(eg.grad.requires_grad());
}

TEST_F(TargetTest, AutogradWorksUnderNoGradGuard) {
  QuarticTarget target;
  torch::NoGradGuard no_grad;
  EnergyAndGrad eg = target.energy_and_grad(torch::ones({2, 3}, torch::kFloat64));
  EXPECT_TRUE(
      torch::allclose(eg.grad, torch::tensor({{2.0, 2.0, 1.0}, {2.0, 2.0, 1.0}}, torch::kFloat64)));
}

TEST_F(TargetTest, RejectsWrongShapeWithClearMessage) {
  QuarticTarget target;
  try {
    target.energy(torch::zeros({4, 2}, torch::kFloat64));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("[chains, 3]"), std::string::npos) << e.what();
    EXPECT_EQ(e.where(), "quartic");
  }
  EXPECT_THROW(target.energy(torch::zeros({3}, torch::kFloat64)), InputError);
  EXPECT_THROW(target.energy(torch::zeros({2, 3}, torch::kInt64)), InputError);
  EXPECT_THROW(target.energy(torch::Tensor()), InputError);
}

TEST_F(TargetTest, RejectsMalformedEnergyFromImplementation) {
  BrokenTarget target;
  EXPECT_THROW(target.energy(torch::zeros({4, 2}, torch::kFloat64)), std::logic_error);
}

TEST_F(TargetTest, DefaultParameterNamesFollowStan) {
  QuarticTarget target;
  EXPECT_EQ(target.parameter_names(), (std::vector<std::string>{"x.1", "x.2", "x.3"}));
}

}  // namespace
}  // namespace ebmc
