// `ebmc train-flow` and `ebmc train-ebm`: they train, save what `ebmc sample` loads, resume,
// and write their logs, metrics and reports.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

int count_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  return rows;
}

TEST(TrainFlowCliTest, FitsDataAndTargetsAndTheSamplersLoadTheFlow) {
  testing::TempDir dir;
  const std::string flow = dir.file("flow.pt");
  testing::CommandResult fit = run_ebmc(
      "train-flow --data two_to_one --data-size 512 --flow realnvp:blocks=2,hidden=8 "
      "--steps 30 --batch 64 --progress --report --out " +
      flow);
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_NE(fit.out.find("trained realnvp (maximum likelihood) on two_to_one: 30 iterations"),
            std::string::npos)
      << fit.out;
  EXPECT_EQ(count_lines(flow + ".training.csv"), 31);
  EXPECT_TRUE(std::filesystem::exists(flow + ".training.html"));
  EXPECT_FALSE(std::filesystem::exists(flow + ".ckpt"));
  for (const std::string sampler : {"imh", "isir", "flowmc", "neutra"}) {
    testing::CommandResult run =
        run_ebmc("sample --target two_to_one --sampler " + sampler + ":flow=" + flow +
                 " --chains 2 --warmup 20 --draws 20 --no-progress --out " + dir.file(sampler));
    EXPECT_EQ(run.exit_code, 0) << sampler << ": " << run.err;
  }
  // A CSV of points, reverse KL on a target, and --resume extending a finished flow.
  const std::string points = dir.write("points.csv", "a,b\n0.1,0.2\n-0.3,0.5\n1.0,-1.2\n0.4,0.4\n");
  EXPECT_EQ(
      run_ebmc("train-flow --data " + points + " --steps 5 --out " + dir.file("p.pt")).exit_code,
      0);
  testing::CommandResult reverse =
      run_ebmc("train-flow --target gaussian:d=3 --steps 5 --out " + dir.file("r.pt"));
  ASSERT_EQ(reverse.exit_code, 0) << reverse.err;
  EXPECT_NE(reverse.out.find("reverse KL"), std::string::npos);
  testing::CommandResult more =
      run_ebmc("train-flow --target gaussian:d=3 --steps 8 --resume --out " + dir.file("r.pt"));
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.err.find("resumed at iteration 5"), std::string::npos) << more.err;
  EXPECT_NE(more.out.find("8 iterations"), std::string::npos) << more.out;
  // flowmc from a fresh flow keeps the flow it fitted in warmup, for a later run.
  testing::CommandResult fitted = run_ebmc(
      "sample --target two_to_one --sampler flowmc --chains 2 --warmup 30 --draws 10 "
      "--no-progress --out " +
      dir.file("fitted"));
  ASSERT_EQ(fitted.exit_code, 0) << fitted.err;
  EXPECT_EQ(
      run_ebmc("sample --target two_to_one --sampler isir:flow=" + dir.file("fitted") +
               "/flow.pt --chains 2 --warmup 5 --draws 5 --no-progress --out " + dir.file("reused"))
          .exit_code,
      0);
  EXPECT_FALSE(std::filesystem::exists(dir.file("reused") + "/flow.pt"));  // read from a file
  // A flow of the wrong dimension is refused by the sampler.
  testing::CommandResult wrong =
      run_ebmc("sample --target gaussian:d=2 --sampler imh:flow=" + dir.file("r.pt") + " --out " +
               dir.file("wrong"));
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("dimension 3"), std::string::npos) << wrong.err;
}

TEST(TrainEbmCliTest, TrainsEvaluatesAndSamplesAnEbm) {
  testing::TempDir dir;
  const std::string out = dir.file("ebm");
  testing::CommandResult train = run_ebmc(
      "train-ebm --data two_to_one --data-size 1024 --method flowmc:blocks=2,hidden=8 --steps 12 "
      "--batch 16 --persistent 64 --width 8 --depth 1 --resolution 40 --checkpoint-every 5 "
      "--weights-every 4 --progress --report --out " +
      out);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("trained flowmc-EBM on two_to_one: 12 iterations"), std::string::npos)
      << train.out;
  for (const std::string file :
       {"model.pt", "flow.pt", "training.csv", "metrics.json", "report.html"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + file)) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(out + "/model.pt.ckpt"));
  EXPECT_EQ(count_lines(out + "/training.csv"), 13);
  std::ifstream metrics_file(out + "/metrics.json");
  const nlohmann::json metrics = nlohmann::json::parse(metrics_file);
  EXPECT_EQ(metrics.at("mode_weights").size(), 2u);
  EXPECT_TRUE(metrics.contains("median_sq_log_density_error"));
  EXPECT_EQ(metrics.at("iterations"), 12);
  // The trained EBM is a target, sampled with its companion flow.
  testing::CommandResult sample =
      run_ebmc("sample --target ebm:model=" + out + "/model.pt --sampler flowmc:flow=" + out +
               "/flow.pt,adapt_flow=0 --chains 2 --warmup 20 --draws 30 --no-progress --out " +
               dir.file("draws"));
  EXPECT_EQ(sample.exit_code, 0) << sample.err;
  // --resume extends a finished model; another method's checkpoint is refused.
  testing::CommandResult more = run_ebmc(
      "train-ebm --data two_to_one --data-size 1024 --method flowmc:blocks=2,hidden=8 --steps 15 "
      "--batch 16 --persistent 64 --width 8 --depth 1 --resolution 40 --resume --no-progress "
      "--out " +
      out);
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.err.find("resumed at iteration 12"), std::string::npos) << more.err;
  testing::CommandResult other = run_ebmc(
      "train-ebm --data two_to_one --data-size 1024 --method ula --steps 15 --batch 16 "
      "--persistent 64 --width 8 --depth 1 --resume --no-progress --out " +
      out);
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("another --method"), std::string::npos) << other.err;
}

TEST(TrainEbmCliTest, TrainsAnIcaModelSampleFreeAndReportsItsLikelihood) {
  testing::TempDir dir;
  const std::string out = dir.file("ica");
  testing::CommandResult train = run_ebmc(
      "train-ebm --data ica:d=3,sources=logistic --data-size 2000 --model ica:sources=logistic "
      "--method ml --steps 300 --batch 128 --lr 0.01 --no-progress --out " +
      out);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  std::ifstream metrics_file(out + "/metrics.json");
  const nlohmann::json metrics = nlohmann::json::parse(metrics_file);
  EXPECT_EQ(metrics.at("model"), "ica:sources=logistic");
  // Fitted by exact likelihood: within a few hundredths of a nat of the truth's −2D − log|det W|
  // on fresh draws (checked against the target in the library tests; here: finite, plausible).
  EXPECT_GT(metrics.at("test_log_likelihood").get<double>(), -20.0);
  EXPECT_LT(metrics.at("test_log_likelihood_stderr").get<double>(), 0.1);
  // The saved model loads as a sampling target.
  testing::CommandResult sample =
      run_ebmc("sample --target ebm:model=" + out +
               "/model.pt --sampler mala --chains 2 --warmup 20 --draws 20 --no-progress --out " +
               dir.file("draws"));
  EXPECT_EQ(sample.exit_code, 0) << sample.err;
  // A learned tilt and a smooth energy with LSD, saved, then extended with --resume.
  const auto lsd_run = [&](const std::string& more) {
    return run_ebmc(
        "train-ebm --data eight_gaussians --data-size 512 --method lsd:hidden=8,critic_steps=2 "
        "--model mlp:activation=swish,width=4,depth=1 --learn-tilt --batch 32 --resolution 20 "
        "--no-progress --out " +
        dir.file("lsd") + " " + more);
  };
  testing::CommandResult lsd = lsd_run("--steps 5");
  ASSERT_EQ(lsd.exit_code, 0) << lsd.err;
  testing::CommandResult resumed = lsd_run("--steps 8 --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
}

TEST(TrainEbmCliTest, LearnsIsingCouplingsByPcdAndPseudoLikelihood) {
  testing::TempDir dir;
  for (const std::string method : {"pcd:sampler=gibbs,steps=5", "plm"}) {
    SCOPED_TRACE(method);
    const std::string out = dir.file(method.substr(0, 3));
    testing::CommandResult train = run_ebmc(
        "train-ebm --model ising --data ising:n=3,theta=0.2 --data-size 1000 --burn-in 50 "
        "--method " +
        method + " --steps 300 --lr 0.01 --l1 0 --no-progress --out " + out);
    ASSERT_EQ(train.exit_code, 0) << train.err;
    std::ifstream metrics_file(out + "/metrics.json");
    const nlohmann::json metrics = nlohmann::json::parse(metrics_file);
    // From J = 0 (RMSE 0.141 on the 3×3 lattice) to within the sampling error of 1000 rows.
    EXPECT_LT(metrics.at("rmse").get<double>(), 0.06) << metrics.dump();
    EXPECT_EQ(count_lines(out + "/couplings.csv"), 9);
  }
  // PCD extends a finished run with --resume.
  testing::CommandResult more = run_ebmc(
      "train-ebm --model ising --data ising:n=3,theta=0.2 --data-size 1000 --burn-in 50 "
      "--method pcd:sampler=gibbs,steps=5 --steps 310 --lr 0.01 --l1 0 --resume --report "
      "--no-progress --out " +
      dir.file("pcd"));
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.err.find("resumed at iteration 300"), std::string::npos) << more.err;
  EXPECT_TRUE(std::filesystem::exists(dir.file("pcd") + "/report.html"));
  // Saved states as the data.
  testing::CommandResult sample = run_ebmc(
      "sample --target ising:n=3,theta=0.2 --sampler gibbs --chains 2 --warmup 50 --draws 100 "
      "--save-states --no-progress --out " +
      dir.file("run"));
  ASSERT_EQ(sample.exit_code, 0) << sample.err;
  testing::CommandResult from_file =
      run_ebmc("train-ebm --model ising --method plm --steps 20 --no-progress --data " +
               dir.file("run") + "/states.csv --out " + dir.file("from_file"));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(count_lines(dir.file("from_file") + "/bias.csv"), 1);
}

}  // namespace
}  // namespace ebmc
