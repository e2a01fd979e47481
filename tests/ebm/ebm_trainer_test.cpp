// EBM training: the PCD gradient of an exponential family from exact samples (with and without
// the tilt, appendix B), a fresh model is its base, bit-exact resumption, checkpoints that
// refuse another configuration.

#include "ebmc/ebm/ebm_trainer.h"

#include <gtest/gtest.h>

#include "ebmc/ebm/ebm_method.h"
#include "ebmc/targets/flow_benchmarks.h"
#include "linear_energy.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(EbmTrainerStatistical, PcdGradientOfAnExponentialFamilyFromExactSamples) {
  Rng rng(1);
  const torch::Tensor mu_data = torch::tensor({0.7, -1.2}, torch::kFloat64);
  const torch::Tensor positives = mu_data + rng.normal({20000, 2});
  for (double sigma : {1.0, 2.0}) {
    SCOPED_TRACE("tilt sigma " + std::to_string(sigma));
    const torch::Tensor theta = torch::tensor({0.3, 0.5}, torch::kFloat64);
    testing::LinearEnergy model(theta, sigma);
    // Exact draws from p_θ^ρ = N(−σ²θ, σ²I).
    const int64_t m = 200000;
    const torch::Tensor negatives = -sigma * sigma * theta + sigma * rng.normal({m, 2});
    model.zero_grad();
    ebm_loss(model, positives, negatives, 0.0).backward();
    const torch::Tensor pcd = model.parameters()[0].grad();
    // −∇θ of the exact mean log-likelihood, mean ‖x + σ²θ‖²/(2σ²) + const: x̄ + σ²θ.
    const torch::Tensor exact = positives.mean(0) + sigma * sigma * theta;
    const double standard_error = sigma / std::sqrt(static_cast<double>(m));
    EXPECT_LT((pcd - exact).abs().max().item<double>(), 4 * standard_error)
        << pcd << " vs " << exact;
    // The same by finite differences of that log-likelihood: the tilt changes p_θ, not the form
    // of the gradient estimate (appendix B).
    auto nll = [&](const torch::Tensor& t) {
      return ((positives + sigma * sigma * t).pow(2).sum(1) / (2 * sigma * sigma))
          .mean()
          .item<double>();
    };
    for (int64_t i = 0; i < 2; ++i) {
      torch::Tensor step = torch::zeros({2}, torch::kFloat64);
      step[i] = 1e-5;
      const double numeric = (nll(theta + step) - nll(theta - step)) / 2e-5;
      EXPECT_NEAR(numeric, exact[i].item<double>(), 1e-6);
    }
  }
}

TEST(EbmTrainerTest, AFreshModelIsItsTiltBase) {
  Rng rng(2);
  auto model = std::make_shared<NeuralEnergy>(2, EnergyNetworkOptions(), 1.5, rng);
  EXPECT_GT(model->parameters().size(), 0u);
  int64_t count = 0;
  for (const auto& p : model->parameters()) count += p.numel();
  // 2→32→64→64→64→1: 96 + 2112 + 2·4160 + 65 (Nijkamp et al.'s toy network, "about 10k").
  EXPECT_EQ(count, 10593);
  const torch::Tensor x = rng.normal({5, 2});
  EXPECT_TRUE(torch::equal(model->energy(x), torch::zeros({5}, torch::kFloat64)));
  EbmTarget target(model);
  const torch::Tensor expected =
      0.5 * x.pow(2).sum(1) / 2.25 + 2 * std::log(1.5) + std::log(2 * M_PI);
  EXPECT_TRUE(torch::allclose(target.energy(x), expected));
  EXPECT_TRUE(torch::allclose(target.energy_and_grad(x).grad, x / 2.25));
}

TEST(EbmTrainerTest, ALearnedTiltTakesItsLikelihoodGradient) {
  // ρ = N(μ, diag s²) from μ = 0, s = 1.5: ∂/∂μ of −mean log ρ(x⁺) + mean log ρ(x⁻) is
  // −mean(x⁺ − μ)/s² + mean(x⁻ − μ)/s²; the energy network is zero at the start.
  Rng rng(2);
  NeuralEnergy model(2, EnergyNetworkOptions().width(4), 1.5, rng, /*learn_tilt=*/true);
  ASSERT_TRUE(model.learns_tilt());
  const torch::Tensor pos = rng.normal({50, 2}) + 1.0, neg = rng.normal({40, 2});
  ebm_loss(model, pos, neg, 0.0).backward();
  const torch::Tensor expected = (-pos.mean(0) + neg.mean(0)) / 2.25;
  const torch::Tensor grad = model.named_parameters()["tilt_mean"].grad();
  EXPECT_TRUE(torch::allclose(grad, expected, 0, 1e-12)) << grad << expected;
}

/// A small training run of `method` on two_to_one data; checkpoints at `checkpoint_every`.
struct SmallRun {
  std::shared_ptr<NeuralEnergy> model;
  std::unique_ptr<EbmTrainer> trainer;
};
SmallRun small_run(const std::string& method, const std::string& checkpoint, int64_t steps) {
  Rng data_rng(3);
  const torch::Tensor data = two_to_one_mixture().sample_exact(512, data_rng);
  Rng init(4);
  SmallRun run;
  run.model =
      std::make_shared<NeuralEnergy>(2, EnergyNetworkOptions().width(4).depth(1), 1.5, init);
  EbmTrainerOptions options;
  options.steps(steps).batch(16).persistent(48).checkpoint_every(4).checkpoint_path(checkpoint);
  run.trainer = std::make_unique<EbmTrainer>(run.model, make_ebm_method(method), data, options, 5);
  return run;
}

TEST(EbmTrainerTest, ResumingFromACheckpointIsBitExact) {
  for (const std::string method :
       {"ula:steps=3", "flowmc:first_local=1,local_steps=1,particles=4,blocks=1,hidden=4",
        "ntebm:steps=2,blocks=1,hidden=4", "coopflow:steps=2,pretrain=3,blocks=1,hidden=4",
        "lsd:hidden=8,critic_steps=2", "nce:noise_ratio=2", "ssm"}) {
    SCOPED_TRACE(method);
    testing::TempDir dir;
    const std::string checkpoint = dir.file("model.pt.ckpt");
    // 6 iterations with a checkpoint every 4: the file holds iteration 4.
    SmallRun straight = small_run(method, checkpoint, 6);
    straight.trainer->train();
    SmallRun resumed = small_run(method, checkpoint, 6);
    resumed.trainer->resume(checkpoint);
    EXPECT_EQ(resumed.trainer->iteration(), 4);
    resumed.trainer->train();
    const auto a = straight.model->parameters(), b = resumed.model->parameters();
    for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;
    EXPECT_TRUE(torch::equal(straight.trainer->chains(), resumed.trainer->chains()));
    if (straight.trainer->method()->flow()) {
      const auto fa = straight.trainer->method()->flow()->parameters();
      const auto fb = resumed.trainer->method()->flow()->parameters();
      for (size_t i = 0; i < fa.size(); ++i) EXPECT_TRUE(torch::equal(fa[i], fb[i])) << i;
    }
  }
}

TEST(EbmTrainerTest, ACheckpointOfAnotherConfigurationIsRefused) {
  testing::TempDir dir;
  const std::string checkpoint = dir.file("model.pt.ckpt");
  SmallRun ula = small_run("ula:steps=3", checkpoint, 4);
  ula.trainer->train();
  SmallRun other = small_run("ula:steps=4", checkpoint, 4);
  testing::expect_input_error([&] { other.trainer->resume(checkpoint); }, "another --method",
                              checkpoint);
  testing::expect_input_error([] { make_ebm_method("ula:steps=0"); }, "steps must be",
                              "--method ula:steps");
  testing::expect_input_error([] { make_ebm_method("pcd"); }, "unknown EBM method", "--method");
  Rng rng(6);
  auto model = std::make_shared<NeuralEnergy>(2, EnergyNetworkOptions(), 1.0, rng);
  testing::expect_input_error(
      [&] {
        EbmTrainer(model, make_ebm_method("ula"), torch::zeros({4, 3}, torch::kFloat64),
                   EbmTrainerOptions(), 1);
      },
      "[rows, 2]", "--data");
}

}  // namespace
}  // namespace ebmc
