// The fused CPU path of the analytic targets gives the tensor path's energy and gradient to
// 1e-12, and is only taken where it may be (float64 CPU, no autograd graph wanted).

#include "ebmc/core/fused_path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// A target with only the batched tensor path.
class PlainQuadratic : public Target {
 public:
  int64_t dim() const override { return 2; }
  std::string name() const override { return "plain"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override {
    return 0.5 * x.pow(2).sum(1);
  }
};

TEST(FusedPathTest, AgreesWithTheTensorPathForEveryFusedTarget) {
  Rng rng(3);
  for (const std::string spec :
       {"icg", "gaussian:d=7,mean=1,scale=2", "funnel:d=10,sigma=3", "funnel3", "funnel1", "scg",
        "rotated_icg:d=20", "rotated_icg:d=50", "blr:data=german", "rough_well:d=5,eta=0.1",
        "banana:d=4", "mog", "eight_gaussians", "gaussian_mixture_4"}) {
    SCOPED_TRACE(spec);
    const std::unique_ptr<Target> target = make_target(spec);
    const torch::Tensor x = 1.5 * rng.normal({9, target->dim()});
    ASSERT_TRUE(takes_fused_path(x));
    const EnergyAndGrad fused = target->energy_and_grad(x);
    const torch::Tensor fused_energy = target->energy(x);
    // An input that requires grad (in grad mode) goes the tensor path.
    const torch::Tensor leaf = x.clone().requires_grad_(true);
    ASSERT_FALSE(takes_fused_path(leaf));
    const EnergyAndGrad tensor = target->energy_and_grad(leaf);
    EXPECT_TRUE(torch::allclose(fused.energy, tensor.energy.detach(), 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(fused.grad, tensor.grad.detach(), 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(fused_energy, target->energy(leaf).detach(), 1e-12, 1e-12));
    // The tensor path's gradient is the autograd gradient of its energy.
    const torch::Tensor autograd = torch::autograd::grad({target->energy(leaf).sum()}, {leaf})[0];
    EXPECT_TRUE(torch::allclose(fused.grad, autograd, 1e-10, 1e-10));
  }
}

// Every target with a fused per-state path gives its batched energy and gradient row by row (to
// 1e-12: the logistic regression and large dense Gaussians batch as a matrix product).
TEST(FusedPathTest, RowEnergyIsTheBatchedEnergyOfOneRow) {
  Rng rng(4);
  for (const std::string spec :
       {"icg", "gaussian:d=7,mean=1,scale=2", "funnel:d=10,sigma=3", "scg", "rotated_icg:d=50",
        "blr:data=german", "rough_well", "banana:d=3", "mog", "two_to_one"}) {
    SCOPED_TRACE(spec);
    const std::unique_ptr<Target> target = make_target(spec);
    ASSERT_TRUE(target->has_row_energy());
    const torch::Tensor x = 0.2 * rng.normal({5, target->dim()});
    const EnergyAndGrad batched = target->energy_and_grad(x);
    torch::Tensor grad = torch::empty_like(x);
    for (int64_t r = 0; r < 5; ++r) {
      const double energy = target->row_energy(x[r].data_ptr<double>(), grad[r].data_ptr<double>());
      EXPECT_NEAR(energy, batched.energy[r].item<double>(), 1e-12 * (1 + std::fabs(energy)));
      EXPECT_DOUBLE_EQ(target->row_energy(x[r].data_ptr<double>(), nullptr), energy);
    }
    EXPECT_TRUE(torch::allclose(grad, batched.grad, 1e-12, 1e-12));
  }
  // Targets without one say so, and calling it anyway is a logic error.
  const PlainQuadratic plain;
  EXPECT_FALSE(plain.has_row_energy());
  double x[2] = {0, 0};
  EXPECT_THROW(plain.row_energy(x, nullptr), std::logic_error);
}

TEST(FusedPathTest, OnlyFloat64ContiguousCpuStatesWithoutAGraphTakeIt) {
  const torch::Tensor x = torch::zeros({3, 4}, torch::kFloat64);
  EXPECT_TRUE(takes_fused_path(x));
  EXPECT_FALSE(takes_fused_path(x.to(torch::kFloat32)));
  EXPECT_FALSE(takes_fused_path(x.t()));
  EXPECT_FALSE(takes_fused_path(x.view({12})));
  const torch::Tensor leaf = x.clone().requires_grad_(true);
  EXPECT_FALSE(takes_fused_path(leaf));
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(takes_fused_path(leaf));
  // float32 states still work, by the tensor path.
  const std::unique_ptr<Target> funnel = make_target("funnel:d=5");
  EXPECT_EQ(funnel->energy(torch::zeros({2, 5}, torch::kFloat32)).size(0), 2);
}

}  // namespace
}  // namespace ebmc
