// `ebmc train-flow` and `ebmc train-ebm`: they train, save what `ebmc sample` loads, resume,
// and write their logs, metrics and reports.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ebmc/ebm/discrete_pcd.h"
#include "ebmc/ebm/energy_model.h"
#include "ebmc/flows/flow.h"
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

TEST(TrainEbmCliTest, TwoProcessesTrainTheEbmsOfOneAndRefuseWhatCannotShareABatch) {
  testing::TempDir dir;
  const std::string args =
      "train-ebm --data two_to_one --data-size 256 --method ula:steps=3 --batch 15 --persistent 32 "
      "--width 8 --depth 1 --resolution 20 --checkpoint-every 4 --no-progress --out ";
  const testing::CommandResult one = run_ebmc(args + dir.file("one") + " --steps 10");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const testing::CommandResult two =
      run_ebmc("launch -n 2 -- ebmc " + args + dir.file("two") + " --steps 10");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(two.out.find("trained"), two.out.rfind("trained")) << "rank 0 reports, once";
  EXPECT_NE(two.out.find("data-parallel over 2 processes"), std::string::npos) << two.out;
  EXPECT_LT((testing::flat_parameters(*load_energy_model(dir.file("one") + "/model.pt")) -
             testing::flat_parameters(*load_energy_model(dir.file("two") + "/model.pt")))
                .abs()
                .max()
                .item<double>(),
            1e-10);
  EXPECT_EQ(count_lines(dir.file("two") + "/training.csv"), 11);
  // Resuming needs the world size that wrote the model.
  const testing::CommandResult resumed = run_ebmc(args + dir.file("two") + " --steps 12 --resume");
  EXPECT_EQ(resumed.exit_code, 2);
  EXPECT_NE(resumed.err.find("written by a job of 2 processes, this one has 1"), std::string::npos)
      << resumed.err;
  const testing::CommandResult extended =
      run_ebmc("launch -n 2 -- ebmc " + args + dir.file("two") + " --steps 12 --resume");
  EXPECT_EQ(extended.exit_code, 0) << extended.err;
  EXPECT_NE(extended.out.find("12 iterations"), std::string::npos) << extended.out;
  // PCD on a discrete model shares its chains too; pseudo-likelihood (a full-data fit) is refused.
  const std::string ising =
      "train-ebm --data ising:n=3,theta=0.2 --data-size 200 --model ising --method "
      "pcd:sampler=gwg,steps=3 --steps 12 --batch 16 --no-progress --out ";
  const testing::CommandResult pcd_one = run_ebmc(ising + dir.file("pcd1"));
  ASSERT_EQ(pcd_one.exit_code, 0) << pcd_one.err;
  const testing::CommandResult pcd_two =
      run_ebmc("launch -n 2 -- ebmc " + ising + dir.file("pcd2"));
  ASSERT_EQ(pcd_two.exit_code, 0) << pcd_two.err;
  const torch::Tensor pcd1 =
      testing::flat_parameters(*load_discrete_energy_model(dir.file("pcd1") + "/model.pt"));
  const torch::Tensor pcd2 =
      testing::flat_parameters(*load_discrete_energy_model(dir.file("pcd2") + "/model.pt"));
  EXPECT_LT((pcd1 - pcd2).abs().max().item<double>(), 1e-10);
  const testing::CommandResult plm = run_ebmc(
      "launch -n 2 -- ebmc train-ebm --data ising:n=3 --model ising --method plm --steps 2 "
      "--no-progress --out " +
      dir.file("plm"));
  EXPECT_EQ(plm.exit_code, 2);
  EXPECT_NE(plm.err.find("plm is a deterministic fit on all the data"), std::string::npos)
      << plm.err;
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

TEST(TrainEbmCliTest, TrainsPottsRbmAndDeepModelsAndEvaluatesThemByAis) {
  testing::TempDir dir;
  // Potts structure learning on a planted contact graph, with the report's heatmaps.
  testing::CommandResult potts = run_ebmc(
      "train-ebm --model potts --data potts_planted:n=8,k=3,degree=2,seed=1 --data-size 500 "
      "--burn-in 30 --method pcd:steps=5 --steps 100 --lr 0.05 --report --no-progress --out " +
      dir.file("potts"));
  ASSERT_EQ(potts.exit_code, 0) << potts.err;
  std::ifstream potts_file(dir.file("potts") + "/metrics.json");
  const nlohmann::json potts_metrics = nlohmann::json::parse(potts_file);
  EXPECT_GT(potts_metrics.at("contact_precision_at_contacts").get<double>(), 0.5)
      << potts_metrics.dump();
  EXPECT_EQ(count_lines(dir.file("potts") + "/couplings.csv"), 8);
  std::ifstream report(dir.file("potts") + "/report.html");
  const std::string html((std::istreambuf_iterator<char>(report)), {});
  EXPECT_NE(html.find("learned |J_ij|"), std::string::npos);
  // An RBM on the shipped digits with a replay buffer, EMA and warm-up; test log-likelihood by AIS.
  testing::CommandResult rbm = run_ebmc(
      "train-ebm --model rbm:hidden=8 --data digits --method pcd:steps=5 --steps 60 --lr 0.02 "
      "--persistent 512 --reinit 0.05 --ema 0.9 --warmup 10 --ais-steps 200 --ais-chains 20 "
      "--report --no-progress --out " +
      dir.file("rbm"));
  ASSERT_EQ(rbm.exit_code, 0) << rbm.err;
  std::ifstream rbm_file(dir.file("rbm") + "/metrics.json");
  const nlohmann::json rbm_metrics = nlohmann::json::parse(rbm_file);
  const double test_ll = rbm_metrics.at("test_log_likelihood").get<double>();
  EXPECT_TRUE(test_ll < -10 && test_ll > -45) << rbm_metrics.dump();  // 64 pixels; base ≈ −34
  EXPECT_EQ(count_lines(dir.file("rbm") + "/samples.csv"), 513);
  // The trained model is a discrete target: sample it, estimate its log Z.
  const std::string target = "discrete_ebm:model=" + dir.file("rbm") + "/model.pt";
  testing::CommandResult sample = run_ebmc("sample --target " + target +
                                           " --chains 2 --warmup 10 --draws 20 --no-progress "
                                           "--out " +
                                           dir.file("sampled"));
  ASSERT_EQ(sample.exit_code, 0) << sample.err;
  testing::CommandResult ais =
      run_ebmc("ais --target " + target + " --base data:" + EBMC_TESTS_DIR +
               "/../data/digits_train.csv --steps 200 --chains 20 --json");
  ASSERT_EQ(ais.exit_code, 0) << ais.err;
  const double log_z = nlohmann::json::parse(ais.out).at("log_z").get<double>();
  EXPECT_NEAR(log_z, rbm_metrics.at("log_z").get<double>(), 1.0);
  // A deep model, a few iterations: runs end to end.
  testing::CommandResult deep = run_ebmc(
      "train-ebm --model deep:width=16,depth=1 --data digits --method pcd:steps=2 --steps 5 "
      "--ais-steps 20 --ais-chains 4 --no-progress --out " +
      dir.file("deep"));
  ASSERT_EQ(deep.exit_code, 0) << deep.err;
}

TEST(TrainFlowCliTest, TwoProcessesTrainTheFlowOfOneAndResumeOnlyWithTwo) {
  testing::TempDir dir;
  const std::string args =
      "train-flow --target banana --flow realnvp:blocks=2,hidden=8 --steps 30 --batch 33 "
      "--checkpoint-every 10 --no-progress --out ";
  const testing::CommandResult one = run_ebmc(args + dir.file("one.pt"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const testing::CommandResult two = run_ebmc("launch -n 2 -- ebmc " + args + dir.file("two.pt"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(two.out.find("trained"), two.out.rfind("trained")) << "rank 0 reports, once";
  EXPECT_LT((testing::flat_parameters(*load_flow(dir.file("one.pt"))) -
             testing::flat_parameters(*load_flow(dir.file("two.pt"))))
                .abs()
                .max()
                .item<double>(),
            1e-10);
  // Extending the two-process run in one process is refused with the reason.
  const testing::CommandResult resumed = run_ebmc(
      "train-flow --target banana --flow realnvp:blocks=2,hidden=8 --steps 40 --batch 33 "
      "--resume --no-progress --out " +
      dir.file("two.pt"));
  EXPECT_EQ(resumed.exit_code, 2);
  EXPECT_NE(resumed.err.find("written by a job of 2 processes, this one has 1"), std::string::npos)
      << resumed.err;
  // With two processes again it extends the run.
  const testing::CommandResult extended = run_ebmc(
      "launch -n 2 -- ebmc train-flow --target banana --flow realnvp:blocks=2,hidden=8 --steps 40 "
      "--batch 33 --resume --no-progress --out " +
      dir.file("two.pt"));
  EXPECT_EQ(extended.exit_code, 0) << extended.err;
  EXPECT_NE(extended.out.find("40 iterations"), std::string::npos) << extended.out;
}

}  // namespace
}  // namespace ebmc
