// The Gaussian–Bernoulli RBM: energy against the sum over every hidden configuration, score
// against autograd, exact samples against the mixture-of-Gaussians moments, file and seed rules.

#include "ebmc/targets/gauss_bernoulli_rbm.h"

#include <gtest/gtest.h>

#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Every h ∈ {−1, 1}^H, [2^H, H].
torch::Tensor all_hidden(int64_t hidden) {
  torch::Tensor h = torch::empty({int64_t{1} << hidden, hidden}, torch::kFloat64);
  for (int64_t k = 0; k < h.size(0); ++k) {
    for (int64_t j = 0; j < hidden; ++j) h[k][j] = ((k >> j) & 1) ? 1.0 : -1.0;
  }
  return h;
}

TEST(GaussBernoulliRbmTest, EnergyIsTheHiddenSumUpToOneConstant) {
  const GaussBernoulliRbm rbm = GaussBernoulliRbm::random(3, 4, 7, 0.0);
  const torch::Tensor h = all_hidden(4);
  Rng rng(2);
  const torch::Tensor x = 2 * rng.normal({6, 3});
  // log Σ_h exp(½xᵀBh + bᵀx + cᵀh − ½‖x‖²), straight from the definition.
  const torch::Tensor inner = 0.5 * x.matmul(rbm.weights()).matmul(h.t()) +
                              (x.matmul(rbm.visible_bias()) - 0.5 * x.pow(2).sum(1)).unsqueeze(1) +
                              h.matmul(rbm.hidden_bias()).unsqueeze(0);
  const torch::Tensor log_p = torch::logsumexp(inner, 1);
  const torch::Tensor gap = log_p + rbm.energy(x);  // constant in x
  EXPECT_LT((gap - gap[0]).abs().max().item<double>(), 1e-10);
}

TEST(GaussBernoulliRbmTest, ScoreIsMinusTheAutogradGradient) {
  const GaussBernoulliRbm rbm = GaussBernoulliRbm::random(5, 3, 1, 0.1);
  Rng rng(3);
  const torch::Tensor x = rng.normal({4, 5}).requires_grad_(true);
  const torch::Tensor u = rbm.energy(x).sum();
  const torch::Tensor grad = torch::autograd::grad({u}, {x})[0];
  EXPECT_TRUE(torch::allclose(rbm.score(x.detach()), -grad, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(rbm.energy_and_grad(x.detach()).grad, grad, 1e-12, 1e-12));
}

TEST(GaussBernoulliRbmTest, ExactSamplesHaveTheMixtureMean) {
  // p(x) = Σ_h w_h N(b + ½Bh, I) with w_h ∝ exp(cᵀh + ½‖b + ½Bh‖²).
  const GaussBernoulliRbm rbm = GaussBernoulliRbm::random(2, 3, 4, 0.0);
  const torch::Tensor h = all_hidden(3);
  const torch::Tensor means = rbm.visible_bias() + 0.5 * h.matmul(rbm.weights().t());
  const torch::Tensor w =
      torch::softmax(h.matmul(rbm.hidden_bias()) + 0.5 * means.pow(2).sum(1), 0);
  const torch::Tensor mean = (w.unsqueeze(1) * means).sum(0);
  Rng rng(5);
  const torch::Tensor x = rbm.sample_exact(4000, rng);
  const torch::Tensor se = x.std(0) / std::sqrt(4000.0);
  EXPECT_LT(((x.mean(0) - mean) / se).abs().max().item<double>(), 4.0)
      << x.mean(0) << " vs " << mean;
}

TEST(GaussBernoulliRbmTest, SeedFixesTheParametersAndPerturbOnlyAddsNoise) {
  const GaussBernoulliRbm a = GaussBernoulliRbm::random(50, 40, 3, 0.0);
  const GaussBernoulliRbm b = GaussBernoulliRbm::random(50, 40, 3, 0.02);
  EXPECT_TRUE(torch::equal(a.visible_bias(), b.visible_bias()));
  EXPECT_TRUE(torch::equal(a.hidden_bias(), b.hidden_bias()));
  EXPECT_TRUE(torch::all((a.weights().abs() - 1).abs() < 1e-15).item<bool>());  // ±1 entries
  const double sd = (b.weights() - a.weights()).std().item<double>();
  EXPECT_NEAR(sd, 0.02, 0.002);
  std::unique_ptr<Target> spec = make_target("gbrbm:visible=50,hidden=40,seed=3,perturb=0.02");
  Rng rng(1);
  const torch::Tensor x = rng.normal({3, 50});
  EXPECT_TRUE(torch::allclose(spec->energy(x), b.energy(x), 0, 0));
}

TEST(GaussBernoulliRbmTest, ReadsAJsonFileAndRefusesBadOnes) {
  const testing::TempDir dir;
  const std::string good = dir.write(
      "gbrbm.json", R"({"B": [[1, -1], [0.5, 2], [0, 1]], "b": [0, 1, 2], "c": [0.5, -0.5]})");
  const std::string bad =
      dir.write("bad.json", R"({"B": [[1, -1], [0.5]], "b": [0, 1], "c": [0.5, -0.5]})");
  std::unique_ptr<Target> rbm = make_target("gbrbm:file=" + good);
  EXPECT_EQ(rbm->dim(), 3);
  testing::expect_input_error([&] { make_target("gbrbm:file=" + bad); }, "rows must all have", bad);
  testing::expect_input_error([&] { make_target("gbrbm:file=" + dir.file("none.json")); },
                              "cannot read", dir.file("none.json"));
  testing::expect_input_error([&] { make_target("gbrbm:perturb=-1"); }, "perturb",
                              "--target gbrbm:perturb");
}

}  // namespace
}  // namespace ebmc
