// A target seen through a learned preconditioner: U_y(y) = U(Ly), its gradient against finite
// differences, and the fused row path against the tensor path.

#include "ebmc/learned/preconditioned_target.h"

#include <gtest/gtest.h>

#include <vector>

#include "ebmc/targets/registry.h"
#include "learned_test_support.h"

namespace ebmc {
namespace {

TEST(PreconditionedTargetTest, EnergyIsTheBaseAtLyAndGradientsAgreeWithFiniteDifferences) {
  const auto base = make_target("rough_well:d=4,eta=0.5");
  torch::nn::Module owner;
  LearnedFactor factor(owner, 4);
  Rng rng(43);
  factor.set(testing::random_lower_factor(4, 0.5, rng), "test");
  const PreconditionedTarget in_y(*base, factor, factor.plain());
  torch::NoGradGuard no_grad;
  const torch::Tensor y = rng.normal({3, 4});
  const EnergyAndGrad eg = in_y.energy_and_grad(y);
  EXPECT_TRUE(torch::allclose(eg.energy, base->energy(factor.times(y)), 1e-12, 1e-12));
  const double h = 1e-6;
  for (int64_t k = 0; k < 4; ++k) {
    const torch::Tensor e = h * torch::one_hot(torch::tensor({k}), 4).to(torch::kFloat64);
    const torch::Tensor difference = (in_y.energy(y + e) - in_y.energy(y - e)) / (2 * h);
    EXPECT_TRUE(torch::allclose(difference, eg.grad.select(1, k), 1e-6, 1e-6))
        << "coordinate " << k;
  }
  ASSERT_TRUE(in_y.has_row_energy());
  for (int64_t r = 0; r < 3; ++r) {
    const torch::Tensor row = y[r].contiguous();
    std::vector<double> grad(4);
    const double energy = in_y.row_energy(row.data_ptr<double>(), grad.data());
    EXPECT_NEAR(energy, eg.energy[r].item<double>(), 1e-12);
    for (int64_t k = 0; k < 4; ++k) EXPECT_NEAR(grad[k], eg.grad[r][k].item<double>(), 1e-12);
  }
}

}  // namespace
}  // namespace ebmc
