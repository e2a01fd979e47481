// Flow-assisted samplers: i-SIR and independent MH leave a mixture invariant, flowMC mixes
// between the modes of the 2:1 mixture in every chain where MALA alone cannot, NeuTra's latent
// gradient and invariance.

#include <gtest/gtest.h>

#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/flows/flowmc.h"
#include "ebmc/flows/independent_mh.h"
#include "ebmc/flows/isir.h"
#include "ebmc/flows/neutra.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/targets/flow_benchmarks.h"
#include "ebmc/targets/gaussian.h"
#include "samplers/moment_checks.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// The fraction of `x` [rows, 2] nearer the two_to_one mixture's top-right mean.
double top_right_fraction(const GaussianMixture& mixture, const torch::Tensor& x) {
  return (mixture.nearest_component(x) == 1).to(torch::kFloat64).mean().item<double>();
}

/// x = shift + z: a valid but lopsided proposal for two_to_one (it favours the bottom-left mode
/// by a factor ~e⁴), so that a kernel that forgot λ in its weights would be visibly biased.
class ShiftedFlow : public Flow {
 public:
  explicit ShiftedFlow(torch::Tensor shift) : Flow(shift.size(0), 1.2), shift_(std::move(shift)) {}
  std::string name() const override { return "shifted"; }
  nlohmann::json options_json() const override { return {}; }
  FlowMap forward_map(const torch::Tensor& z) override {
    return {z + shift_, torch::zeros({z.size(0)}, torch::kFloat64)};
  }
  FlowMap inverse_map(const torch::Tensor& x) override {
    return {x - shift_, torch::zeros({x.size(0)}, torch::kFloat64)};
  }

 private:
  torch::Tensor shift_;
};

std::shared_ptr<Flow> lopsided_flow() {
  return std::make_shared<ShiftedFlow>(torch::tensor({-0.8, -0.8}, torch::kFloat64));
}

// Chains started at exact draws from π stay exactly π-distributed under a π-invariant kernel:
// after 30 steps the 4000 chains are again 4000 independent draws from π, so their mean and
// mode fraction agree with π's within a few standard errors — whatever the proposal.
TEST(FlowSamplersStatistical, IsirAndIndependentMhLeaveTheMixtureInvariant) {
  const GaussianMixture mixture = two_to_one_mixture();
  constexpr int64_t kChains = 4000;
  Rng start_rng(1);
  const torch::Tensor x0 = mixture.sample_exact(kChains, start_rng);
  const torch::Tensor mean = mixture.exact_mean();
  const torch::Tensor sd = mixture.exact_variance().sqrt();
  std::vector<std::shared_ptr<Kernel>> kernels = {
      std::make_shared<Isir>(IsirOptions().particles(4), lopsided_flow()),
      std::make_shared<IndependentMh>(IndependentMhOptions(), lopsided_flow())};
  for (auto& kernel : kernels) {
    SCOPED_TRACE(kernel->name());
    Rng rng(2, ChainStreams{0, kChains});
    RunResult run = run_chains(*kernel, mixture, x0, rng, RunOptions().warmup(0).draws(30));
    EXPECT_GT(run.accept_rate, 0.02);  // the chains do move
    const torch::Tensor last = run.draws[29];
    const double se = 1.0 / std::sqrt(static_cast<double>(kChains));
    for (int64_t d = 0; d < 2; ++d) {
      EXPECT_NEAR(last.select(1, d).mean().item<double>(), mean[d].item<double>(),
                  4 * sd[d].item<double>() * se);
    }
    EXPECT_NEAR(top_right_fraction(mixture, last), 2.0 / 3.0, 4 * std::sqrt(2.0 / 9.0) * se);
  }
}

TEST(FlowSamplersStatistical, FlowMcMixesBetweenTheTwoToOneModesInEveryChain) {
  const GaussianMixture mixture = two_to_one_mixture();
  constexpr int64_t kChains = 4;
  Rng init_rng(3);
  const torch::Tensor x0 = uniform_inits(kChains, 2, 2.5, init_rng);
  Sampler flowmc = make_sampler("flowmc");
  Rng rng(4, ChainStreams{0, kChains});
  RunResult run = run_sampler(flowmc, mixture, x0, rng, RunOptions().warmup(400).draws(1500));
  const torch::Tensor in_top_right = (mixture.nearest_component(run.draws.reshape({-1, 2})) == 1)
                                         .to(torch::kFloat64)
                                         .reshape({-1, kChains});
  for (int64_t c = 0; c < kChains; ++c) {
    const ChainMatrix chain = per_parameter(in_top_right.select(1, c).reshape({-1, 1, 1}))[0];
    const double fraction = in_top_right.select(1, c).mean().item<double>();
    const double mcse = mcse_mean(chain);
    EXPECT_NEAR(fraction, 2.0 / 3.0, 4 * mcse) << "chain " << c;
    EXPECT_LT(mcse, 0.05) << "chain " << c;
  }
  // MALA alone stays in the mode each chain starts in.
  Sampler mala = make_sampler("mala");
  Rng mala_rng(4, ChainStreams{0, kChains});
  RunResult local = run_sampler(mala, mixture, x0, mala_rng, RunOptions().warmup(400).draws(1500));
  const torch::Tensor local_top = (mixture.nearest_component(local.draws.reshape({-1, 2})) == 1)
                                      .to(torch::kFloat64)
                                      .reshape({-1, kChains})
                                      .mean(0);
  for (int64_t c = 0; c < kChains; ++c) {
    const double f = local_top[c].item<double>();
    EXPECT_TRUE(f == 0.0 || f == 1.0) << "MALA chain " << c << " visited both modes: " << f;
  }
}

TEST(FlowSamplersTest, LatentTargetGradientMatchesFiniteDifferences) {
  Rng flow_rng(5);
  auto flow = std::make_shared<RealNvp>(
      3, RealNvpOptions().blocks(3).hidden(8).init_scale(1.0).masks("random"), flow_rng);
  const DiagonalGaussian target(torch::tensor({0.5, -1.0, 2.0}, torch::kFloat64),
                                torch::tensor({1.0, 0.5, 2.0}, torch::kFloat64));
  LatentTarget latent(target, flow);
  Rng rng(6);
  const torch::Tensor z = rng.normal({4, 3});
  const EnergyAndGrad at = latent.energy_and_grad(z);
  EXPECT_TRUE(torch::allclose(at.energy, latent.energy(z), 1e-12, 1e-12));
  const double h = 1e-6;
  for (int64_t i = 0; i < 3; ++i) {
    torch::Tensor step = torch::zeros({4, 3}, torch::kFloat64);
    step.select(1, i).fill_(h);
    const torch::Tensor numeric = (latent.energy(z + step) - latent.energy(z - step)) / (2 * h);
    EXPECT_LT((numeric - at.grad.select(1, i)).abs().max().item<double>(), 1e-6) << i;
  }
}

TEST(FlowSamplersStatistical, NeutraIsExactWhateverTheFlow) {
  Rng flow_rng(7);
  auto flow =
      std::make_shared<RealNvp>(2, RealNvpOptions().blocks(2).hidden(8).init_scale(0.3), flow_rng);
  const DiagonalGaussian target(torch::tensor({1.0, -2.0}, torch::kFloat64),
                                torch::tensor({0.5, 2.0}, torch::kFloat64));
  auto kernel = std::make_shared<Neutra>(NeutraOptions(), flow);
  NeutraAdaptation warmup(kernel);
  Rng rng(8, ChainStreams{0, 4});
  Rng init_rng(9);
  RunResult run = run_chains(*kernel, target, uniform_inits(4, 2, 2.0, init_rng), rng,
                             RunOptions().warmup(500).draws(2000), {}, &warmup);
  testing::expect_moments_within_mcse(run.draws, target.mean(), target.scale().pow(2), "neutra");
}

TEST(FlowSamplersTest, FlowSamplersRefuseAFlowOfAnotherDimension) {
  testing::TempDir dir;
  Rng rng(10);
  RealNvp flow(3, RealNvpOptions(), rng);
  save_flow(dir.file("flow.pt"), flow);
  const DiagonalGaussian target = DiagonalGaussian::standard(2);
  for (const std::string name : {"imh", "isir", "flowmc", "neutra"}) {
    Sampler sampler = make_sampler(name + ":flow=" + dir.file("flow.pt"));
    testing::expect_input_error(
        [&] {
          sampler.kernel->init(target, torch::zeros({2, 2}, torch::kFloat64));
        },
        "dimension 3", "--sampler " + name + ":flow");
  }
}

}  // namespace
}  // namespace ebmc
