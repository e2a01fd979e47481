// L2HMC: exact inverse, log-det of eq. 13 against autograd, reduction to HMC, and a trained
// kernel's moments.

#include "ebmc/learned/l2hmc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../samplers/moment_checks.h"
#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/learned/sampler_trainer.h"
#include "ebmc/samplers/leapfrog.h"
#include "ebmc/targets/registry.h"
#include "learned_test_support.h"
#include "test_support.h"

namespace ebmc {
namespace {

L2hmcPoint start_point(const Target& target, int64_t chains, Rng& rng) {
  const torch::Tensor x = rng.normal({chains, target.dim()});
  EnergyAndGrad eg = target.energy_and_grad(x);
  return {x, rng.normal({chains, target.dim()}), eg.energy, eg.grad, torch::Tensor()};
}

TEST(L2hmcTest, BackwardInvertsForwardAndBothDirectionsAgreeOnTheLogDet) {
  auto target = make_target("rough_well:d=5,eta=0.5");
  Rng rng(3);
  L2hmc kernel(5, L2hmcOptions().leapfrog_steps(4).hidden(16).step_size(0.3), rng);
  testing::perturb_parameters(kernel, 0.3, rng);
  const L2hmcPoint start = start_point(*target, 8, rng);
  torch::NoGradGuard no_grad;
  const L2hmcPoint ahead = kernel.forward(*target, start);
  EXPECT_GT(ahead.logdet.abs().min().item<double>(), 1e-3);  // not volume preserving
  const L2hmcPoint back = kernel.backward(*target, ahead);
  EXPECT_LT((back.x - start.x).abs().max().item<double>(), 1e-6);
  EXPECT_LT((back.v - start.v).abs().max().item<double>(), 1e-6);
  EXPECT_LT((back.logdet + ahead.logdet).abs().max().item<double>(), 1e-6);
  // F L is an involution: transporting with d = −1 from the end returns to the start.
  const L2hmcPoint mixed = kernel.transport(*target, ahead, torch::zeros({8}, torch::kBool));
  EXPECT_LT((mixed.x - start.x).abs().max().item<double>(), 1e-6);
}

TEST(L2hmcTest, LogDetOfEq13MatchesTheAutogradJacobian) {
  auto target = make_target("rough_well:d=3,eta=0.5");
  Rng rng(5);
  L2hmc kernel(3, L2hmcOptions().leapfrog_steps(3).hidden(8).step_size(0.4), rng);
  testing::perturb_parameters(kernel, 0.3, rng);
  const L2hmcPoint start = start_point(*target, 1, rng);
  for (const bool forward : {true, false}) {
    auto map = [&](const torch::Tensor& u) {
      const torch::Tensor x = u.narrow(0, 0, 3).unsqueeze(0);
      EnergyAndGrad eg = target->energy_and_grad(x);
      const L2hmcPoint in{x, u.narrow(0, 3, 3).unsqueeze(0), eg.energy, eg.grad, torch::Tensor()};
      const L2hmcPoint out = forward ? kernel.forward(*target, in) : kernel.backward(*target, in);
      return torch::cat({out.x[0], out.v[0]});
    };
    const torch::Tensor u = torch::cat({start.x[0], start.v[0]});
    const L2hmcPoint out =
        forward ? kernel.forward(*target, start) : kernel.backward(*target, start);
    EXPECT_NEAR(out.logdet.item<double>(), testing::autograd_log_abs_det(map, u), 1e-8)
        << (forward ? "d = +1" : "d = -1");
  }
}

TEST(L2hmcTest, WithZeroNetworksOneStepIsHmcLeapfrogBitForBit) {
  auto target = make_target("icg:d=6");
  Rng rng(7);
  L2hmc kernel(6, L2hmcOptions().leapfrog_steps(5).step_size(0.05), rng);
  const L2hmcPoint start = start_point(*target, 4, rng);
  torch::NoGradGuard no_grad;
  const L2hmcPoint ahead = kernel.forward(*target, start);
  const DiagonalMetric unit = DiagonalMetric::identity(4, 6);
  PhasePoint z{start.x, start.v, start.energy, start.grad};
  for (int t = 0; t < 5; ++t) z = leapfrog(*target, unit, z, torch::exp(kernel.log_step_size()));
  EXPECT_TRUE(torch::equal(ahead.x, z.x));
  EXPECT_TRUE(torch::equal(ahead.v, z.p));
  EXPECT_TRUE(torch::equal(ahead.energy, z.energy));
  EXPECT_EQ(ahead.logdet.abs().max().item<double>(), 0.0);
}

TEST(L2hmcTest, StepCountsGradientsAndRefusesAnotherTarget) {
  auto target = make_target("gaussian:d=2");
  Rng rng(9);
  L2hmc kernel(2, L2hmcOptions().leapfrog_steps(3), rng);
  kernel.set_trained_for(describe_target("gaussian:d=2", *target));
  State state = kernel.init(*target, torch::zeros({4, 2}, torch::kFloat64));
  Info info = kernel.step(state, rng);
  EXPECT_EQ(info.gradient_evals, 3 * 4);  // per chain, summed over the 4 chains
  auto other = make_target("icg:d=2");
  testing::expect_input_error(
      [&] {
        kernel.init(*other, torch::zeros({4, 2}, torch::kFloat64));
      },
      "trained for target 'gaussian:d=2'", "--sampler l2hmc:model");
  testing::expect_input_error([] { L2hmcOptions().leapfrog_steps(0).validate(); },
                              "leapfrog must be >= 1", "l2hmc:leapfrog");
  testing::expect_input_error([] { L2hmcOptions().jitter(1).validate(); },
                              "jitter must be in [0, 1)", "l2hmc:jitter");
  testing::expect_input_error([] { L2hmcOptions().fit_factor(true).validate(); },
                              "fit_factor needs precondition=1", "l2hmc:fit_factor");
}

TEST(L2hmcTest, AdaptStepsSetTheInitialStepSizeByDualAveraging) {
  auto target = make_target("gaussian:d=2");
  Rng rng(5);
  L2hmc kernel(2, L2hmcOptions().leapfrog_steps(5).step_size(0.01).adapt_steps(300), rng);
  torch::Tensor chains = rng.normal({200, 2});
  const torch::Tensor before = chains.clone();
  kernel.prepare_training(*target, chains, rng);
  EXPECT_GT(kernel.step_size(), 0.3);  // from 0.01
  EXPECT_FALSE(torch::equal(chains, before));
  // The adapted kernel's acceptance on the chains it left is the target's 0.65.
  State state = kernel.init(*target, chains);
  double accept = 0;
  for (int t = 0; t < 50; ++t) accept += kernel.step(state, rng).accept_prob.mean().item<double>();
  EXPECT_NEAR(accept / 50, 0.65, 0.08);
  // Without adapt_steps: nothing moves.
  L2hmc plain(2, L2hmcOptions().step_size(0.01), rng);
  torch::Tensor untouched = before.clone();
  plain.prepare_training(*target, untouched, rng);
  EXPECT_TRUE(torch::equal(untouched, before));
  EXPECT_DOUBLE_EQ(plain.step_size(), 0.01);
  testing::expect_input_error([] { L2hmcOptions().adapt_steps(-1).validate(); },
                              "adapt_steps must be >= 0", "l2hmc:adapt_steps");
}

TEST(L2hmcTest, PreconditionedWithTheIdentityMovesAsWithoutAndSaysSoInItsOptions) {
  const auto target = make_target("icg:d=6");
  const testing::WithoutRowEnergy tensor_only(*target);
  torch::Tensor x0;
  std::vector<torch::Tensor> after;  // fused and tensor path, without and with L = I
  for (const bool precondition : {false, true}) {
    Rng rng(15);
    L2hmc kernel(
        6, L2hmcOptions().leapfrog_steps(4).hidden(8).step_size(0.05).precondition(precondition),
        rng);
    testing::perturb_parameters(kernel, 0.1, rng);
    if (precondition) kernel.set_factor(torch::eye(6, torch::kFloat64));
    EXPECT_EQ(kernel.options_json().value("precondition", !precondition), precondition);
    x0 = 0.3 * Rng(16).normal({5, 6});
    after.push_back(testing::chains_after(kernel, *target, x0, 3));
    after.push_back(testing::chains_after(kernel, tensor_only, x0, 3));
  }
  EXPECT_FALSE(torch::equal(after[0], x0));  // the chains moved
  EXPECT_TRUE(torch::equal(after[0], after[2])) << "fused path";
  EXPECT_TRUE(torch::equal(after[1], after[3])) << "tensor path";
  Rng rng(17);
  L2hmc plain_kernel(6, L2hmcOptions(), rng);
  testing::expect_input_error([&] { plain_kernel.set_factor(torch::eye(6, torch::kFloat64)); },
                              "no preconditioner", "l2hmc:precondition");
}

TEST(L2hmcTest, JumpLossesMeasureTheJumpAsEachMeasureSays) {
  // Chains of a Gaussian with standard deviations 10 and 0.1; moves from half of them to −x (the
  // antithetic map, the largest plain jump) and to the other half (independent draws).
  Rng rng(31);
  const torch::Tensor scale = torch::tensor({10.0, 0.1}, torch::kFloat64);
  const torch::Tensor chains = rng.normal({4000, 2}) * scale;
  const torch::Tensor x = chains.narrow(0, 0, 2000), independent = chains.narrow(0, 2000, 2000);
  const torch::Tensor accept = torch::ones({2000}, torch::kFloat64);
  const double lambda = 0.5;
  auto mean_loss = [&](JumpMeasure measure, const torch::Tensor& to) {
    return l2hmc_jump_loss(measure, lambda, x, to, accept, chains).mean().item<double>();
  };
  // kPlain is eq. 4 on ‖x′ − x‖²; kBoth adds kScaled's loss.
  const torch::Tensor delta = (independent - x).pow(2).sum(1);
  const torch::Tensor eq4 = lambda * lambda / (delta + 1e-4) - delta / (lambda * lambda);
  EXPECT_TRUE(torch::allclose(
      l2hmc_jump_loss(JumpMeasure::kPlain, lambda, x, independent, accept, chains), eq4));
  EXPECT_NEAR(
      mean_loss(JumpMeasure::kBoth, independent),
      mean_loss(JumpMeasure::kPlain, independent) + mean_loss(JumpMeasure::kScaled, independent),
      1e-9 * std::abs(mean_loss(JumpMeasure::kBoth, independent)));
  // Plain and scaled jumps prefer the antithetic map to independent draws (the trap); with the
  // jump of the standardized squares added, that map scores worst.
  for (JumpMeasure measure : {JumpMeasure::kPlain, JumpMeasure::kScaled, JumpMeasure::kBoth}) {
    EXPECT_LT(mean_loss(measure, -x), mean_loss(measure, independent));
  }
  EXPECT_GT(mean_loss(JumpMeasure::kMoments, -x), mean_loss(JumpMeasure::kMoments, independent));
  // Rejected moves earn nothing: δ = 0 in both of kMoments's losses.
  const torch::Tensor rejected = torch::zeros({2000}, torch::kFloat64);
  const torch::Tensor stuck =
      l2hmc_jump_loss(JumpMeasure::kMoments, lambda, x, independent, rejected, chains);
  EXPECT_NEAR(stuck.mean().item<double>(), 2 * lambda * lambda / 1e-4, 1e-6);
}

TEST(L2hmcStatistical, TrainedKernelLeavesGaussianMomentsRight) {
  auto target = make_target("gaussian:d=2,mean=1,scale=2");
  Rng rng(11);
  auto kernel =
      std::make_shared<L2hmc>(2, L2hmcOptions().leapfrog_steps(5).hidden(10).loss_scale(2), rng);
  SamplerTrainer trainer(
      kernel, *target, TrainerOptions().steps(300).batch(64).schedule(Schedule::kExponential), 12);
  trainer.train();
  Rng run_rng(13);
  RunResult run = run_chains(*kernel, *target, 2.0 * run_rng.normal({8, 2}), run_rng,
                             RunOptions().warmup(200).draws(2000));
  EXPECT_GT(run.accept_rate, 0.5);
  testing::expect_moments_within_mcse(run.draws, torch::full({2}, 1.0, torch::kFloat64),
                                      torch::full({2}, 4.0, torch::kFloat64), "trained l2hmc");
}

TEST(L2hmcStatistical, PreconditionerLearnsTheScaleAndKeepsTheMomentsRight) {
  // SCG: variances 100 and 0.1 along the diagonals; L must learn the long direction's scale.
  auto target = make_target("scg");
  Rng rng(19);
  auto kernel = std::make_shared<L2hmc>(
      2, L2hmcOptions().leapfrog_steps(5).hidden(10).step_size(0.1).precondition(true), rng);
  SamplerTrainer trainer(kernel, *target, TrainerOptions().steps(300).batch(64), 20);
  trainer.train();
  const torch::Tensor l = kernel->factor();
  const double root_det = std::sqrt(torch::det(l).item<double>());
  RecordProperty("sqrt_det_L", std::to_string(root_det));
  EXPECT_GT(root_det, 2.0);  // L = I at the start
  Rng run_rng(21, ChainStreams{0, 8});
  RunResult run = run_chains(*kernel, *target, trainer.chains().narrow(0, 0, 8), run_rng,
                             RunOptions().warmup(200).draws(1000));
  testing::expect_moments_within_mcse(run.draws, torch::zeros({2}, torch::kFloat64),
                                      torch::full({2}, 50.05, torch::kFloat64),
                                      "preconditioned l2hmc on SCG");
}

TEST(L2hmcStatistical, FittedPreconditionerWhitensMixesAndKeepsTheMomentsRight) {
  // L from the training chains' covariance (not trained by ESJD) with a jittered step size: the
  // kernel mixes in every direction, radius included (R-hat), instead of learning x′ ≈ −x.
  auto target = make_target("scg");
  Rng rng(23);
  auto kernel = std::make_shared<L2hmc>(
      2,
      L2hmcOptions().leapfrog_steps(5).hidden(10).precondition(true).fit_factor(true).jitter(0.5),
      rng);
  SamplerTrainer trainer(kernel, *target, TrainerOptions().steps(300).batch(64), 24);
  trainer.train();
  const torch::Tensor l = kernel->factor();
  const torch::Tensor c = l.matmul(l.t());
  const double correlation = (c[0][1] / torch::sqrt(c[0][0] * c[1][1])).item<double>();
  RecordProperty("variance_of_LLt", std::to_string(c[0][0].item<double>()));
  RecordProperty("correlation_of_LLt", std::to_string(correlation));
  EXPECT_NEAR(c[0][0].item<double>(), 50.05, 25.0);  // 64 chains' covariance
  EXPECT_GT(correlation, 0.99);                      // SCG's: 0.998
  Rng run_rng(25, ChainStreams{0, 8});
  RunResult run = run_chains(*kernel, *target, trainer.chains().narrow(0, 0, 8), run_rng,
                             RunOptions().warmup(200).draws(1000));
  double min_ess = 1e300, max_rhat = 0;
  for (const ChainMatrix& param : per_parameter(run.draws)) {
    const ParameterSummary s = summarize("x", param);
    min_ess = std::min(min_ess, s.ess_bulk);
    max_rhat = std::max(max_rhat, s.rhat);
  }
  RecordProperty("min_ess", std::to_string(min_ess));
  EXPECT_LT(max_rhat, 1.02);
  EXPECT_GT(min_ess, 2000.0);  // of 8000 draws; the ESJD-trained L: ~30
  testing::expect_moments_within_mcse(run.draws, torch::zeros({2}, torch::kFloat64),
                                      torch::full({2}, 50.05, torch::kFloat64),
                                      "l2hmc with a fitted preconditioner on SCG");
}

}  // namespace
}  // namespace ebmc
