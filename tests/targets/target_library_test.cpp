// Every target of the library: analytic gradients against autograd and finite differences,
// shapes, presets and invalid parameters.

#include <gtest/gtest.h>

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/io/csv_reader.h"
#include "ebmc/io/dataset_csv.h"
#include "ebmc/targets/banana.h"
#include "ebmc/targets/dense_gaussian.h"
#include "ebmc/targets/funnel.h"
#include "ebmc/targets/mixture.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

class TargetLibraryTest : public testing::SeedingFixture,
                          public ::testing::WithParamInterface<std::string> {};

TEST_P(TargetLibraryTest, AnalyticGradientMatchesAutogradAndFiniteDifferences) {
  std::unique_ptr<Target> target = make_target(GetParam());
  const int64_t d = target->dim();
  torch::Tensor x = 0.7 * torch::randn({5, d}, torch::kFloat64);
  EnergyAndGrad analytic = target->energy_and_grad(x);
  EnergyAndGrad autograd = testing::AutogradOf(*target).energy_and_grad(x);
  EXPECT_TRUE(torch::allclose(analytic.energy, autograd.energy, 1e-10, 1e-10));
  EXPECT_TRUE(torch::allclose(analytic.grad, autograd.grad, 1e-8, 1e-8))
      << (analytic.grad - autograd.grad).abs().max().item<double>();
  // Central differences on a few coordinates.
  const double h = 1e-6;
  for (int64_t j : {int64_t{0}, d / 2, d - 1}) {
    torch::Tensor e = torch::zeros({1, d}, torch::kFloat64);
    e[0][j] = h;
    torch::Tensor fd = (target->energy(x + e) - target->energy(x - e)) / (2 * h);
    EXPECT_TRUE(torch::allclose(analytic.grad.select(1, j), fd, 1e-5, 1e-5))
        << "coordinate " << j << ": "
        << (analytic.grad.select(1, j) - fd).abs().max().item<double>();
  }
  EXPECT_EQ(static_cast<int64_t>(target->parameter_names().size()), d);
}

INSTANTIATE_TEST_SUITE_P(AllTargets, TargetLibraryTest,
                         ::testing::Values("gaussian:d=3,scale=2", "icg", "rotated_icg:d=10", "scg",
                                           "mog", "ring:modes=5", "rough_well:d=3",
                                           "rough_well:d=3,eta=0.3,variant=released",
                                           "funnel:d=5,sigma=2", "funnel1", "funnel3",
                                           "banana:d=4,b=0.2", "blr:data=pima", "blr:data=german"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(TargetPresetsTest, DimensionsAndCovariances) {
  EXPECT_EQ(make_target("icg")->dim(), 50);
  EXPECT_EQ(make_target("funnel1")->dim(), 100);
  EXPECT_EQ(make_target("funnel3")->dim(), 20);
  EXPECT_EQ(make_target("blr:data=german")->dim(), 49);  // intercept + 48 predictors
  auto* scg = dynamic_cast<DenseGaussian*>(make_target("scg").release());
  ASSERT_NE(scg, nullptr);
  torch::Tensor eig = torch::linalg::eigvalsh(scg->covariance(), "L");
  EXPECT_NEAR(eig[0].item<double>(), 0.1, 1e-10);
  EXPECT_NEAR(eig[1].item<double>(), 100.0, 1e-8);
  EXPECT_NEAR(scg->covariance()[0][1].item<double>(), (100.0 - 0.1) / 2, 1e-8);
  delete scg;
  // The paper's text: variances 1e2 and 1e-2 (the default is the released notebook's 1e-1).
  auto* paper = dynamic_cast<DenseGaussian*>(make_target("scg:variant=paper").release());
  ASSERT_NE(paper, nullptr);
  EXPECT_NEAR(torch::linalg::eigvalsh(paper->covariance(), "L")[0].item<double>(), 0.01, 1e-10);
  delete paper;
  torch::Tensor r = random_rotation(6, 3);
  EXPECT_TRUE(torch::allclose(r.matmul(r.t()), torch::eye(6, torch::kFloat64), 1e-12, 1e-12));
}

TEST(TargetPresetsTest, MixtureMomentsAndNormalization) {
  GaussianMixture mog = two_mode_mixture(4.0, 0.1, 0.5);
  EXPECT_TRUE(torch::allclose(mog.exact_mean(), torch::zeros({2}, torch::kFloat64)));
  EXPECT_NEAR(mog.exact_variance()[0].item<double>(), 4.1, 1e-12);
  // exp(-U) integrates to 1: a grid sum over the plane.
  torch::Tensor g = torch::linspace(-6, 6, 601, torch::kFloat64);
  torch::Tensor grid = torch::stack(torch::meshgrid({g, g}, "ij"), 2).reshape({-1, 2});
  const double cell = std::pow(12.0 / 600.0, 2);
  EXPECT_NEAR(torch::exp(-mog.energy(grid)).sum().item<double>() * cell, 1.0, 1e-6);
}

TEST(TargetPresetsTest, InvalidParametersGiveInputError) {
  for (const char* spec :
       {"icg:d=0", "funnel:d=1", "funnel:sigma=0", "mog:variance=-1", "mog:weight=1",
        "ring:modes=1", "rough_well:eta=0", "rough_well:variant=easy", "banana:d=1",
        "blr:data=nope", "blr:data=pima,file=x.csv", "blr:prior_scale=0"}) {
    EXPECT_THROW(make_target(spec), InputError) << spec;
  }
}

TEST(DatasetTest, MalformedFilesNameFileAndLine) {
  testing::TempDir dir;
  auto expect_error = [](const std::string& path, const std::string& what,
                         const std::string& where) {
    try {
      read_binary_dataset(path);
      FAIL() << what;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
      EXPECT_EQ(e.where(), where);
    }
  };
  const std::string bad_y = dir.write("y.csv", "y,a\n0,1\n2,3\n");
  expect_error(bad_y, "must be 0 or 1", bad_y + ":3");
  const std::string ragged = dir.write("r.csv", "y,a,b\n0,1,2\n1,3\n");
  expect_error(ragged, "row has 2 fields", ragged + ":3");
  const std::string text = dir.write("t.csv", "y,a\n0,1\n1,x\n");
  expect_error(text, "non-numeric", text + ":3");
  const std::string inf = dir.write("i.csv", "y,a\n0,1\n1,Inf\n");
  expect_error(inf, "not finite", inf + ":3");
  const std::string one = dir.write("o.csv", "y,a\n0,1\n");
  expect_error(one, "at least 2 rows", one);
  const std::string latin1 = dir.write("l.csv", "y,\xe2ge\n0,1\n1,3\n");
  expect_error(latin1, "header column 2 is not valid UTF-8 text", latin1 + ":1");
  const std::string twice = dir.write("d.csv", "y,a,a\n0,1,2\n1,3,4\n");
  expect_error(twice, "column 3 repeats the name 'a'", twice + ":1");
  const std::string utf8 = dir.write("u.csv", "y,\xc3\xa2ge,\xe2\x82\xac\n0,1,2\n1,3,5\n");
  EXPECT_EQ(read_binary_dataset(utf8).predictor_names[1], "\xe2\x82\xac");
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  const std::string constant = dir.write("c.csv", "y,a\n0,1\n1,1\n");
  EXPECT_THROW(make_target("blr:file=" + constant), InputError);
}

}  // namespace
}  // namespace ebmc
