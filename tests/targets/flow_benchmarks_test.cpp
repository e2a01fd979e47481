// grenioux-2023's data distributions: normalized densities, exact samplers that agree with them,
// the documented layouts.

#include "ebmc/targets/flow_benchmarks.h"

#include <gtest/gtest.h>

#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// ∫ exp(−U) over [−lim, lim]² on a 600² grid (no point at the origin, where rings' density has
/// an integrable 1/r peak).
double integral_2d(const Target& target, double lim) {
  const torch::Tensor axis = torch::linspace(-lim, lim, 600, torch::kFloat64);
  const auto grid = torch::meshgrid({axis, axis}, "ij");
  const torch::Tensor points = torch::stack({grid[0].flatten(), grid[1].flatten()}, 1);
  const double cell = std::pow(2 * lim / 599.0, 2);
  return torch::exp(-target.energy(points)).sum().item<double>() * cell;
}

TEST(FlowBenchmarksTest, TwoDimensionalDensitiesAreNormalizedAndMatchTheirSamples) {
  for (const std::string name : {"two_to_one", "four_modes", "eight_gaussians", "rings"}) {
    SCOPED_TRACE(name);
    std::unique_ptr<Target> target = make_target(name);
    ASSERT_EQ(target->dim(), 2);
    EXPECT_NEAR(integral_2d(*target, 6.5), 1.0, 2e-3);
    // Samples: their mean log-density is the density's negative entropy, estimated on a grid.
    const auto* exact = dynamic_cast<const ExactSampler*>(target.get());
    ASSERT_NE(exact, nullptr);
    Rng rng(1);
    const torch::Tensor x = exact->sample_exact(20000, rng);
    const double sample_mean_log_p = (-target->energy(x)).mean().item<double>();
    const torch::Tensor axis = torch::linspace(-6.5, 6.5, 600, torch::kFloat64);
    const auto grid = torch::meshgrid({axis, axis}, "ij");
    const torch::Tensor points = torch::stack({grid[0].flatten(), grid[1].flatten()}, 1);
    const torch::Tensor log_p = -target->energy(points);
    const double cell = std::pow(13.0 / 599.0, 2);
    const double grid_mean_log_p =
        (torch::exp(log_p) * torch::nan_to_num(log_p, 0, 0, 0)).sum().item<double>() * cell;
    EXPECT_NEAR(sample_mean_log_p, grid_mean_log_p, 0.03);
  }
}

TEST(FlowBenchmarksTest, MixtureLayoutsAreThePapers) {
  const GaussianMixture two = two_to_one_mixture();
  EXPECT_TRUE(torch::allclose(two.weights(), torch::tensor({1.0 / 3, 2.0 / 3}, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(two.scales().pow(2), torch::tensor({0.05, 0.1}, torch::kFloat64)));
  Rng rng(2);
  const torch::Tensor draws = two.sample_exact(30000, rng);
  EXPECT_NEAR((two.nearest_component(draws) == 1).to(torch::kFloat64).mean().item<double>(),
              2.0 / 3.0, 0.01);
  const GaussianMixture four = four_modes_mixture();
  EXPECT_TRUE(torch::allclose(four.means().select(1, 0),
                              torch::tensor({-3.0, -1.0, 1.0, 3.0}, torch::kFloat64)));
  const torch::Tensor counts =
      torch::bincount(four.nearest_component(four.sample_exact(40000, rng)), {}, 4)
          .to(torch::kFloat64) /
      40000.0;
  EXPECT_TRUE(
      torch::allclose(counts, torch::tensor({0.1, 0.2, 0.3, 0.4}, torch::kFloat64), 0, 0.01));
  // C.5: the value of a keeps a draw nearer its own mean than any other (P ≤ 1e-10).
  for (int64_t d : {16, 32, 64}) {
    std::unique_ptr<Target> target = make_target("gaussian_mixture_4:d=" + std::to_string(d));
    const auto& mixture = dynamic_cast<const GaussianMixture&>(*target);
    EXPECT_EQ(mixture.dim(), d);
    const torch::Tensor means = mixture.means();
    EXPECT_TRUE(torch::allclose(means[2], -means[1]));
    EXPECT_TRUE(torch::allclose(means[3], -means[0]));
    EXPECT_NEAR(means[1][0].item<double>(), -0.5919, 1e-12);
    EXPECT_NEAR(means[1][d - 1].item<double>(), 0.5919, 1e-12);
    const torch::Tensor x = mixture.sample_exact(4000, rng);
    const torch::Tensor own = torch::cdist(x, means).argmin(1);
    EXPECT_TRUE(torch::equal(own, mixture.nearest_component(x)));
  }
  testing::expect_input_error([] { make_target("gaussian_mixture_4:d=1"); }, "d must be",
                              "--target gaussian_mixture_4:d");
}

TEST(FlowBenchmarksTest, RingsAssignPointsToTheNearestRing) {
  Rings rings;
  const torch::Tensor x =
      torch::tensor({{0.9, 0.0}, {0.0, -2.2}, {2.0, 2.0}, {-4.4, 0.1}}, torch::kFloat64);
  EXPECT_TRUE(torch::equal(rings.nearest_ring(x), torch::tensor({0, 1, 2, 3}, torch::kInt64)));
  const EnergyAndGrad eg = rings.energy_and_grad(x);
  EXPECT_TRUE(torch::isfinite(eg.grad).all().item<bool>());
}

}  // namespace
}  // namespace ebmc
