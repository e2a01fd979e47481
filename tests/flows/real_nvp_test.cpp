// RealNVP: invertibility, log-determinants against the autograd Jacobian, identity start,
// normalization, model files.

#include "ebmc/flows/real_nvp.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace ebmc {
namespace {

/// A flow far from the identity (output layers at the full default range), so the checks bite.
std::shared_ptr<RealNvp> random_flow(int64_t dim, const std::string& masks, uint64_t seed) {
  Rng rng(seed);
  return std::make_shared<RealNvp>(
      dim, RealNvpOptions().blocks(4).hidden(8).layers(2).masks(masks).init_scale(1.0), rng);
}

TEST(RealNvpTest, InverseUndoesForwardAndLogDetsCancel) {
  for (const std::string masks : {"alternating", "random"}) {
    for (int64_t dim : {1, 2, 5}) {
      SCOPED_TRACE(masks + " dim " + std::to_string(dim));
      auto flow = random_flow(dim, masks, 3);
      Rng rng(4);
      const torch::Tensor z = 1.5 * rng.normal({64, dim});
      const FlowMap forward = flow->forward_map(z);
      EXPECT_GT((forward.value - z).abs().max().item<double>(), 1e-2);  // not the identity
      const FlowMap back = flow->inverse_map(forward.value);
      EXPECT_LT((back.value - z).abs().max().item<double>(), 1e-6);
      EXPECT_LT((back.log_det + forward.log_det).abs().max().item<double>(), 1e-6);
    }
  }
}

TEST(RealNvpTest, LogDetIsTheLogAbsDeterminantOfTheAutogradJacobian) {
  auto flow = random_flow(3, "random", 5);
  Rng rng(6);
  const torch::Tensor z = rng.normal({4, 3});
  const FlowMap forward = flow->forward_map(z);
  for (int64_t row = 0; row < 4; ++row) {
    const torch::Tensor point = z[row].unsqueeze(0).clone().requires_grad_(true);
    const torch::Tensor x = flow->forward_map(point).value.squeeze(0);
    std::vector<torch::Tensor> rows;
    for (int64_t i = 0; i < 3; ++i) {
      rows.push_back(torch::autograd::grad({x[i]}, {point}, {}, /*retain_graph=*/true)[0][0]);
    }
    const double expected = std::get<1>(torch::linalg_slogdet(torch::stack(rows))).item<double>();
    EXPECT_NEAR(forward.log_det[row].item<double>(), expected, 1e-9);
  }
}

TEST(RealNvpTest, StartsAtTheIdentityWithTheBaseDensity) {
  Rng rng(7);
  RealNvp flow(4, RealNvpOptions().base_scale(2.5), rng);
  const torch::Tensor x = 2.0 * rng.normal({16, 4});
  EXPECT_LT((flow.forward_map(x).value - x).abs().max().item<double>(), 1e-4);
  const torch::Tensor expected =
      -0.5 * x.pow(2).sum(1) / 6.25 - 4 * std::log(2.5) - 2 * std::log(2 * M_PI);
  EXPECT_LT((flow.log_prob(x) - expected).abs().max().item<double>(), 1e-4);
}

TEST(RealNvpTest, DensityIntegratesToOneAndMatchesItsSamples) {
  auto flow = random_flow(2, "alternating", 8);
  torch::NoGradGuard no_grad;
  // ∫ λ on a fine grid: the log-determinants are right globally, not only locally.
  const torch::Tensor axis = torch::linspace(-12, 12, 801, torch::kFloat64);
  const auto grid = torch::meshgrid({axis, axis}, "ij");
  const torch::Tensor points = torch::stack({grid[0].flatten(), grid[1].flatten()}, 1);
  const double cell = std::pow(24.0 / 800.0, 2);
  EXPECT_NEAR(flow->log_prob(points).exp().sum().item<double>() * cell, 1.0, 5e-3);
  Rng rng(9);
  const FlowSample s = flow->sample(32, rng);
  EXPECT_LT((flow->log_prob(s.x) - s.log_prob).abs().max().item<double>(), 1e-8);
}

TEST(RealNvpTest, ModelFilesRoundTripAndBadFilesAreRefused) {
  testing::TempDir dir;
  auto flow = random_flow(3, "random", 10);
  flow->set_fitted_to("data.csv");
  const std::string path = dir.file("flow.pt");
  save_flow(path, *flow);
  std::shared_ptr<Flow> loaded = load_flow(path);
  EXPECT_EQ(loaded->name(), "realnvp");
  EXPECT_EQ(loaded->fitted_to(), "data.csv");
  EXPECT_EQ(loaded->options_json(), flow->options_json());
  Rng rng(11);
  const torch::Tensor x = rng.normal({5, 3});
  EXPECT_TRUE(torch::equal(loaded->log_prob(x), flow->log_prob(x)));
  testing::expect_input_error([&] { load_flow(dir.file("none.pt")); }, "not found",
                              dir.file("none.pt"));
  const std::string junk = dir.write("junk.pt", "not a flow");
  testing::expect_input_error([&] { load_flow(junk); }, "not an ebmc flow", junk);
  testing::expect_input_error([&] { load_flow_for(path, 2, "--sampler imh:flow"); }, "dimension 3",
                              "--sampler imh:flow");
}

TEST(RealNvpTest, SpecsBuildFlowsAndBadOptionsAreNamed) {
  Rng rng(12);
  std::shared_ptr<Flow> flow = make_flow("realnvp:blocks=2,hidden=4,masks=random", 3, rng);
  EXPECT_EQ(flow->options_json()["blocks"], 2);
  testing::expect_input_error([&] { make_flow("realnvp:blocks=0", 3, rng); }, "blocks",
                              "--flow realnvp:blocks");
  testing::expect_input_error([&] { make_flow("glow", 3, rng); }, "unknown flow", "--flow");
  testing::expect_input_error([&] { make_flow("realnvp:depth=2", 3, rng); }, "unknown option",
                              "--flow realnvp:depth");
}

}  // namespace
}  // namespace ebmc
