// The kernel goodness-of-fit tests (KSD, LKSD, FSSD): the U-statistic as its definition, the
// level under H₀ (data from the model) and the power against a shifted or perturbed model.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/stein/fssd.h"
#include "ebmc/stein/ksd.h"
#include "ebmc/stein/lsd.h"
#include "ebmc/targets/gauss_bernoulli_rbm.h"
#include "ebmc/targets/registry.h"

namespace ebmc {
namespace {

TEST(KsdTest, StatisticIsTheUStatisticOfTheSteinKernel) {
  std::unique_ptr<Target> model = make_target("gaussian:d=3");
  Rng rng(1);
  const torch::Tensor x = rng.normal({30, 3}) + 0.3;
  KsdOptions options;
  options.bandwidth = 1.1;
  options.bootstrap = 10;
  const SteinTestResult r = ksd_test(*model, x, options, rng);
  const torch::Tensor H = stein_kernel_matrix(x, model_score(*model, x), 1.1);
  double sum = 0;
  for (int64_t i = 0; i < 30; ++i) {
    for (int64_t j = 0; j < 30; ++j) {
      if (i != j) sum += H[i][j].item<double>();
    }
  }
  EXPECT_NEAR(r.statistic, sum / (30 * 29), 1e-12);
  EXPECT_EQ(r.n, 30);
  EXPECT_DOUBLE_EQ(r.bandwidth, 1.1);
  EXPECT_EQ(r.to_json().at("test"), "ksd");
}

/// A 2-d model whose log density is NaN at points with x₁ > 3 (its score there too).
class NanBeyondThree : public Target {
 public:
  int64_t dim() const override { return 2; }
  std::string name() const override { return "nan_beyond_three"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override {
    const torch::Tensor far = x.select(1, 0) > 3;
    const torch::Tensor factor = torch::where(far, torch::full_like(far, std::nan(""), x.options()),
                                              torch::ones_like(far, x.options()));
    return 0.5 * x.pow(2).sum(1) * factor;
  }
};

/// Runs every test of `tests` on `model` and `x`; expects each to throw InputError at `where`
/// with `what` in its message — never a statistic, a p-value or a verdict.
void expect_every_test_refuses(const Target& model, const torch::Tensor& x, double bandwidth,
                               const std::string& what, const std::string& where) {
  Rng rng(3);
  KsdOptions ksd;
  ksd.bandwidth = bandwidth;
  ksd.bootstrap = 10;
  FssdOptions fssd;
  fssd.bandwidth = bandwidth;
  fssd.optimize_steps = 0;
  LsdOptions lsd;
  lsd.steps = 2;
  lsd.hidden = 4;
  const std::vector<std::pair<std::string, std::function<void()>>> tests = {
      {"ksd", [&] { ksd_test(model, x, ksd, rng); }},
      {"lksd", [&] { lksd_test(model, x, ksd); }},
      {"fssd", [&] { fssd_test(model, x, fssd, rng); }},
      {"lsd", [&] { lsd_test(model, x, lsd, rng); }}};
  for (const auto& [name, run] : tests) {
    if (name == "lsd" && where == "--kernel") continue;  // LSD has no kernel
    try {
      run();
      ADD_FAILURE() << name << " gave a result";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << name << ": " << e.what();
      EXPECT_EQ(e.where(), where) << name;
    }
  }
}

TEST(SteinTestsTest, NoStatisticIsComputedFromNonFiniteNumbers) {
  Rng rng(4);
  const torch::Tensor x = rng.normal({60, 2});
  // The model's score is NaN at one row.
  torch::Tensor with_far_row = x.clone();
  with_far_row[7][0] = 3.5;
  expect_every_test_refuses(NanBeyondThree(), with_far_row, 1.0,
                            "score (gradient of its log density) is not finite at 1 of 60 data "
                            "rows (first: row 8)",
                            "--model");
  // Data near 1e300: squared distances overflow.
  std::unique_ptr<Target> gaussian = make_target("gaussian:d=2");
  expect_every_test_refuses(*gaussian, x * 1e300, 1.0, "rescale the data", "--data");
  // A bandwidth whose fourth power underflows.
  expect_every_test_refuses(*gaussian, x, 1e-300, "RBF bandwidth 1e-300 is outside", "--kernel");
}

TEST(SteinTestsTest, AResultWithANonFiniteStatisticGetsNoVerdict) {
  SteinTestResult r;
  r.test = "ksd";
  r.statistic = std::nan("");
  r.p_value = 0.001;
  EXPECT_THROW(r.require_finite(), RunFailed);
  r.statistic = 0.5;
  EXPECT_NO_THROW(r.require_finite());
}

TEST(KsdTest, ALearnedBandwidthIsLearnedOnTheFirstRowsAndTestedOnTheRest) {
  // grathwohl-2020 B.1: h learned on 200 of 1000 rows, the test on the other 800.
  std::unique_ptr<Target> model = make_target("gaussian:d=3");
  Rng data_rng(6);
  const torch::Tensor x = data_rng.normal({1000, 3}) + 0.15;
  KsdOptions learned;
  learned.bootstrap = 50;
  learned.selection = KsdBandwidth::kLearned;
  Rng rng(7);
  const SteinTestResult r = ksd_test(*model, x, learned, rng);
  EXPECT_EQ(r.n, 800);
  EXPECT_EQ(r.extra.at("bandwidth_rows"), 200);
  const double h = learned_bandwidth(*model, x.narrow(0, 0, 200), KsdObjective::kPower, false);
  EXPECT_EQ(r.bandwidth, h);
  KsdOptions fixed;
  fixed.bootstrap = 50;
  fixed.bandwidth = h;
  Rng same(7);
  const SteinTestResult on_rest = ksd_test(*model, x.narrow(0, 200, 800), fixed, same);
  EXPECT_EQ(r.statistic, on_rest.statistic);
  EXPECT_EQ(r.p_value, on_rest.p_value);
  // The learned h is the grid's best for the criterion: no worse than the median heuristic's.
  const auto power_at = [&](double bandwidth) {
    const torch::Tensor rows = x.narrow(0, 0, 200);
    const torch::Tensor H = stein_kernel_matrix(rows, model_score(*model, rows), bandwidth);
    const torch::Tensor means = (H.sum(1) - H.diagonal()) / 199.0;
    return means.mean().item<double>() / (2.0 * means.std().item<double>() / std::sqrt(200.0));
  };
  EXPECT_GE(power_at(h), power_at(median_bandwidth(x.narrow(0, 0, 200))));
  // The linear-time test splits alike.
  const SteinTestResult linear = lksd_test(*model, x, learned);
  EXPECT_EQ(linear.n, 800);
  EXPECT_EQ(linear.bandwidth,
            learned_bandwidth(*model, x.narrow(0, 0, 200), KsdObjective::kPower, true));
}

TEST(FssdTest, StatisticIsTheUnbiasedMeanOfFeatureProducts) {
  Rng rng(2);
  const torch::Tensor x = rng.normal({20, 2}), s = rng.normal({20, 2}), v = rng.normal({3, 2});
  const torch::Tensor tau = fssd_features(x, s, v, torch::tensor(0.8, torch::kFloat64));
  ASSERT_EQ(tau.size(1), 6);
  const torch::Tensor gram = tau.matmul(tau.t());
  const double expected = (gram.sum() - gram.diagonal().sum()).item<double>() / (20 * 19);
  EXPECT_NEAR(fssd_statistic(tau).item<double>(), expected, 1e-12);
  // ξ(x, v) = (s k + ∇ₓk)/√(dJ) for the first row and location.
  const torch::Tensor r = x[0] - v[0];
  const torch::Tensor k = torch::exp(-r.pow(2).sum() / (2 * 0.64));
  const torch::Tensor xi = (s[0] * k - k * r / 0.64) / std::sqrt(6.0);
  EXPECT_TRUE(torch::allclose(tau[0].narrow(0, 0, 2), xi, 0, 1e-12));
}

/// Rejection rates at level 0.05 of `test` over `repetitions` data sets.
template <class Test>
double rejection_rate(int64_t repetitions, const std::function<torch::Tensor(Rng&)>& draw,
                      Test test) {
  int64_t rejected = 0;
  for (int64_t r = 0; r < repetitions; ++r) {
    Rng rng(100 + static_cast<uint64_t>(r));
    const torch::Tensor x = draw(rng);
    if (test(x, rng).p_value < 0.05) ++rejected;
  }
  return static_cast<double>(rejected) / static_cast<double>(repetitions);
}

TEST(GoodnessOfFitStatistical, KernelTestsHoldTheirLevelAndRejectAShift) {
  // 60 data sets of n = 200 from N(0, I₅); the model N(0, I₅) (H₀) or N(0.4·1, I₅) as the data's
  // shift (H₁). A level-0.05 test rejects H₀ in 3 of 60 on average; 9 or more happens with
  // probability 0.004.
  std::unique_ptr<Target> model = make_target("gaussian:d=5");
  const auto null_data = [](Rng& rng) { return rng.normal({200, 5}); };
  const auto shifted = [](Rng& rng) { return rng.normal({200, 5}) + 0.4; };
  KsdOptions ksd;
  ksd.bootstrap = 300;
  FssdOptions fssd;
  fssd.optimize_steps = 50;
  fssd.null_draws = 1000;
  const auto run_ksd = [&](const torch::Tensor& x, Rng& rng) {
    return ksd_test(*model, x, ksd, rng);
  };
  const auto run_lksd = [&](const torch::Tensor& x, Rng&) { return lksd_test(*model, x, ksd); };
  const auto run_fssd = [&](const torch::Tensor& x, Rng& rng) {
    return fssd_test(*model, x, fssd, rng);
  };
  EXPECT_LE(rejection_rate(60, null_data, run_ksd), 8.0 / 60);
  EXPECT_LE(rejection_rate(60, null_data, run_lksd), 8.0 / 60);
  EXPECT_LE(rejection_rate(60, null_data, run_fssd), 8.0 / 60);
  EXPECT_GE(rejection_rate(20, shifted, run_ksd), 0.95);
  EXPECT_GE(rejection_rate(20, shifted, run_lksd), 0.5);
  EXPECT_GE(rejection_rate(20, shifted, run_fssd), 0.8);
}

TEST(GoodnessOfFitStatistical, KsdSeesAPerturbedRbm) {
  // grathwohl-2020 section 7.1 in small: data from an RBM (20 visible, 10 hidden), the model with
  // its weights perturbed by N(0, 0.1²) noise.
  const GaussBernoulliRbm truth = GaussBernoulliRbm::random(20, 10, 1, 0.0);
  const GaussBernoulliRbm perturbed = GaussBernoulliRbm::random(20, 10, 1, 0.1);
  Rng rng(4);
  const torch::Tensor x = truth.sample_exact(500, rng);
  KsdOptions options;
  options.bootstrap = 500;
  EXPECT_GT(ksd_test(truth, x, options, rng).p_value, 0.05);
  EXPECT_LT(ksd_test(perturbed, x, options, rng).p_value, 0.01);
}

}  // namespace
}  // namespace ebmc
