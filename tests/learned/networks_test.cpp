// The networks' raw-memory copies (`plain()`) compute what their tensor forms compute.

#include "ebmc/learned/networks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "learned_test_support.h"

namespace ebmc {
namespace {

TEST(NetworksTest, PlainCopiesAgreeWithTheTensorNetworks) {
  Rng rng(8);
  const int64_t dim = 5, rows = 4;
  L2hmcNetwork l2hmc(dim, 7, rng);
  StepIndexedMlp mlp(2, 3 * dim, 9, 3 * dim, rng);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : l2hmc->parameters()) p.add_(0.3 * rng.normal(p.sizes()));
    for (auto& p : mlp->parameters()) p.add_(0.3 * rng.normal(p.sizes()));
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor a = rng.normal({rows, dim}), b = rng.normal({rows, dim});
  const torch::Tensor tau = torch::tensor({0.6, -0.8}, torch::kFloat64);
  const ScaleTranslation sqt = l2hmc->forward(a, b, tau);
  const torch::Tensor expected = torch::cat({sqt.scale, sqt.transform, sqt.translate}, 1);
  const L2hmcNetworkImpl::Plain plain = l2hmc->plain();
  std::vector<double> out(3 * dim);
  PlainScratch scratch;
  for (int64_t r = 0; r < rows; ++r) {
    plain.forward(a[r].data_ptr<double>(), b[r].data_ptr<double>(), tau.data_ptr<double>(),
                  out.data(), scratch);
    EXPECT_TRUE(torch::allclose(torch::tensor(out, torch::kFloat64), expected[r], 1e-12, 1e-14));
  }
  const torch::Tensor input = rng.normal({rows, 3 * dim});
  const StepIndexedMlpImpl::Plain plain_mlp = mlp->plain();
  for (int64_t step = 0; step < 2; ++step) {
    const torch::Tensor reference = mlp->forward(step, input);
    for (int64_t r = 0; r < rows; ++r) {
      plain_mlp.forward(step, input[r].contiguous().data_ptr<double>(), out.data(), scratch);
      EXPECT_TRUE(torch::allclose(torch::tensor(out, torch::kFloat64), reference[r], 1e-12, 1e-14));
    }
  }
}

/// A trained-looking step-indexed MLP (weights moved off their initialization).
StepIndexedMlpImpl::Plain perturbed_mlp(int64_t dim, int64_t width, Rng& rng) {
  StepIndexedMlp mlp(2, 3 * dim, width, 3 * dim, rng);
  torch::NoGradGuard no_grad;
  for (auto& p : mlp->parameters()) p.add_(0.3 * rng.normal(p.sizes()));
  return mlp->plain();
}

TEST(NetworksTest, Float32EluIsAccurateToAFloatUlp) {
  std::vector<float> y;
  for (double v = -100; v <= 5; v += 0.001) y.push_back(static_cast<float>(v));
  const std::vector<float> input = y;
  activate_in_place(y.data(), static_cast<int64_t>(y.size()), /*elu=*/true);
  double worst = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double v = input[i];
    const double expected = v > 0 ? v : std::expm1(v);
    worst = std::max(worst, std::abs(y[i] - expected) / std::max(1.0, std::abs(expected)));
  }
  EXPECT_LT(worst, 2.5e-7);
  float special[3] = {std::nanf(""), -std::numeric_limits<float>::infinity(), 0.0f};
  activate_in_place(special, 3, true);
  EXPECT_TRUE(std::isnan(special[0]));
  EXPECT_EQ(special[1], -1.0f);
  EXPECT_EQ(special[2], 0.0f);
}

TEST(NetworksTest, ABlockOfRowsGivesEachRowItsBitsAlone) {
  Rng rng(9);
  const int64_t dim = 7, rows = 7;
  StepIndexedMlpImpl::Plain plain = perturbed_mlp(dim, 37, rng);
  const torch::Tensor input = rng.normal({rows, 3 * dim});
  for (NetworkPrecision precision : {NetworkPrecision::kFloat64, NetworkPrecision::kFloat32}) {
    plain.precision = precision;
    PlainScratch scratch;
    std::vector<double> block(rows * 3 * dim), alone(3 * dim);
    plain.forward(1, input.data_ptr<double>(), block.data(), scratch, rows);
    for (int64_t r = 0; r < rows; ++r) {
      plain.forward(1, input[r].data_ptr<double>(), alone.data(), scratch);
      EXPECT_TRUE(std::equal(alone.begin(), alone.end(), block.begin() + r * 3 * dim))
          << "row " << r << (precision == NetworkPrecision::kFloat32 ? " float32" : " float64");
    }
  }
}

TEST(NetworksTest, Float32NetworksAgreeWithFloat64ToSinglePrecision) {
  Rng rng(10);
  const int64_t dim = 25, rows = 5;
  StepIndexedMlpImpl::Plain mlp = perturbed_mlp(dim, 64, rng);
  const torch::Tensor input = rng.normal({rows, 3 * dim});
  PlainScratch scratch;
  std::vector<double> f64(rows * 3 * dim), f32(rows * 3 * dim);
  mlp.forward(0, input.data_ptr<double>(), f64.data(), scratch, rows);
  mlp.precision = NetworkPrecision::kFloat32;
  mlp.forward(0, input.data_ptr<double>(), f32.data(), scratch, rows);
  const torch::Tensor a = torch::tensor(f64, torch::kFloat64),
                      b = torch::tensor(f32, torch::kFloat64);
  EXPECT_FALSE(torch::equal(a, b));  // it did run in float32
  EXPECT_LT((a - b).abs().max().item<double>(), 1e-4 * (1 + a.abs().max().item<double>()));

  L2hmcNetwork l2hmc(dim, 16, rng);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : l2hmc->parameters()) p.add_(0.3 * rng.normal(p.sizes()));
  }
  L2hmcNetworkImpl::Plain plain = l2hmc->plain();
  const torch::Tensor x = rng.normal({dim}), v = rng.normal({dim});
  const double tau[2] = {0.6, -0.8};
  std::vector<double> s64(3 * dim), s32(3 * dim);
  plain.forward(x.data_ptr<double>(), v.data_ptr<double>(), tau, s64.data(), scratch);
  plain.precision = NetworkPrecision::kFloat32;
  plain.forward(x.data_ptr<double>(), v.data_ptr<double>(), tau, s32.data(), scratch);
  const torch::Tensor c = torch::tensor(s64, torch::kFloat64),
                      d = torch::tensor(s32, torch::kFloat64);
  EXPECT_FALSE(torch::equal(c, d));
  EXPECT_LT((c - d).abs().max().item<double>(), 1e-4 * (1 + c.abs().max().item<double>()));
}

}  // namespace
}  // namespace ebmc
