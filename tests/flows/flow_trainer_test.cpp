// Flow training: maximum likelihood matches a 2-d mixture's log-density, reverse KL reaches a
// Gaussian's log Z, and resumption is bit-exact.

#include "ebmc/flows/flow_trainer.h"

#include <gtest/gtest.h>

#include "ebmc/flows/real_nvp.h"
#include "ebmc/targets/flow_benchmarks.h"
#include "ebmc/targets/gaussian.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(FlowTrainerStatistical, MaximumLikelihoodMatchesTheTwoToOneMixtureLogDensity) {
  const GaussianMixture mixture = two_to_one_mixture();
  Rng data_rng(1);
  const torch::Tensor data = mixture.sample_exact(8192, data_rng);
  Rng init(2);
  auto flow =
      std::make_shared<RealNvp>(2, RealNvpOptions().blocks(6).hidden(32).base_scale(2.0), init);
  FlowTrainer trainer(flow, data, FlowTrainerOptions().steps(1500).batch(256).learning_rate(5e-3),
                      3);
  trainer.train();
  // Squared log-density error at fresh draws from the mixture (where the mass is).
  Rng test_rng(4);
  const torch::Tensor x = mixture.sample_exact(4000, test_rng);
  torch::NoGradGuard no_grad;
  const torch::Tensor error = (flow->log_prob(x) + mixture.energy(x)).pow(2);
  const double median = error.median().item<double>();
  std::cout << "median squared log-density error " << median << "\n";
  EXPECT_LT(median, 0.02);
  // The weights: the flow's mass near each mode is the mixture's (1/3, 2/3).
  Rng sample_rng(5);
  const torch::Tensor draws = flow->sample(20000, sample_rng).x;
  const double top_right =
      (mixture.nearest_component(draws) == 1).to(torch::kFloat64).mean().item<double>();
  EXPECT_NEAR(top_right, 2.0 / 3.0, 0.03);
}

TEST(FlowTrainerStatistical, ReverseKlReachesTheLogNormalizerOfAGaussian) {
  // N(μ, diag σ²) is an affine push-forward of N(0, I): the flow can match it exactly, and then
  // E_λ[log λ + U] = −log Z with Z = ∫ exp(−U) = (2π)^{d/2} Π σ_i (U drops the normalizer).
  const torch::Tensor scales = torch::tensor({0.5, 2.0}, torch::kFloat64);
  const torch::Tensor mean = torch::tensor({1.0, -1.0}, torch::kFloat64);
  DiagonalGaussian target(mean, scales);
  Rng init(6);
  auto flow = std::make_shared<RealNvp>(2, RealNvpOptions().blocks(4).hidden(16), init);
  FlowTrainerOptions options;
  options.steps(800).batch(256).learning_rate(1e-2);
  FlowTrainer trainer(flow, target, options, 7);
  double last = 0;
  int64_t counted = 0;
  trainer.train([&](const FlowTrainingProgress& p) {
    if (p.iteration > 700) {
      last += p.loss;
      ++counted;
    }
  });
  const double log_z = std::log(2 * M_PI) + torch::log(scales).sum().item<double>();
  EXPECT_NEAR(last / static_cast<double>(counted), -log_z, 0.02);
}

TEST(FlowTrainerTest, ResumingFromACheckpointIsBitExact) {
  testing::TempDir dir;
  const GaussianMixture mixture = two_to_one_mixture();
  Rng data_rng(1);
  const torch::Tensor data = mixture.sample_exact(512, data_rng);
  auto make = [] {
    Rng init(2);
    return std::make_shared<RealNvp>(2, RealNvpOptions().blocks(2).hidden(8), init);
  };
  // Checkpoints every 20 iterations of a 30-iteration run: the file holds iteration 20.
  FlowTrainerOptions options;
  options.steps(30).batch(64).checkpoint_every(20).checkpoint_path(dir.file("ckpt.pt"));
  auto straight = make();
  FlowTrainer(straight, data, options, 3).train();
  auto resumed = make();
  FlowTrainer continued(resumed, data, options, 3);
  continued.resume(dir.file("ckpt.pt"));
  EXPECT_EQ(continued.iteration(), 20);
  continued.train();
  const auto a = straight->parameters(), b = resumed->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;

  Rng other(3);
  auto wider = std::make_shared<RealNvp>(2, RealNvpOptions().blocks(2).hidden(16), other);
  FlowTrainer mismatched(wider, data, options, 3);
  testing::expect_input_error([&] { mismatched.resume(dir.file("ckpt.pt")); }, "--flow options",
                              dir.file("ckpt.pt"));
}

TEST(FlowTrainerTest, BadDataIsRefused) {
  Rng init(2);
  auto flow = std::make_shared<RealNvp>(2, RealNvpOptions(), init);
  testing::expect_input_error(
      [&] {
        FlowTrainer(flow, torch::zeros({4, 3}, torch::kFloat64), FlowTrainerOptions(), 1);
      },
      "[rows, 2]", "--data");
  torch::Tensor bad = torch::zeros({4, 2}, torch::kFloat64);
  bad[1][0] = std::nan("");
  testing::expect_input_error([&] { FlowTrainer(flow, bad, FlowTrainerOptions(), 1); },
                              "non-finite", "--data");
  testing::expect_input_error([] { parse_flow_objective("both"); }, "forward or reverse",
                              "--objective");
}

}  // namespace
}  // namespace ebmc
