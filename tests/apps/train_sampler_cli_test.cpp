// `ebmc train-sampler`: trains and saves a kernel that `ebmc sample` loads; checkpoints resume;
// models for another target and bad options are refused with one clear line.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ebmc/learned/learned_registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

TEST(TrainSamplerCliTest, TrainsAModelThatSampleLoads) {
  testing::TempDir dir;
  const std::string model = dir.file("l2hmc.pt");
  testing::CommandResult train = run_ebmc(
      "train-sampler --target gaussian:d=2 --sampler l2hmc:leapfrog=3,hidden=8 --steps 40 "
      "--batch 16 --seed 3 --progress --report --out " +
      model);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  // The training curves: one row per iteration, and their report.
  std::ifstream curves(model + ".training.csv");
  std::string line;
  int rows = 0;
  while (std::getline(curves, line)) ++rows;
  EXPECT_EQ(rows, 41);
  EXPECT_TRUE(std::filesystem::exists(model + ".training.html"));
  EXPECT_NE(train.out.find("trained l2hmc on gaussian:d=2: 40 iterations"), std::string::npos)
      << train.out;
  EXPECT_NE(train.err.find("iter 40/40"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("accept"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(model));
  EXPECT_FALSE(std::filesystem::exists(model + ".ckpt"));
  // The model file records the whole recipe: the sampler as trained and the trainer's options.
  const std::shared_ptr<LearnedKernel> saved = load_learned_kernel(model);
  const nlohmann::json& training = saved->training();
  EXPECT_EQ(training.at("steps"), 40);
  EXPECT_EQ(training.at("batch"), 16);
  EXPECT_EQ(training.at("seed"), 3);
  EXPECT_EQ(training.at("schedule"), "exponential");  // L2HMC's paper schedule
  EXPECT_EQ(training.at("recipe"), "l2hmc:leapfrog=3,hidden=8");
  EXPECT_NE(train.out.find("recipe: {"), std::string::npos) << train.out;

  testing::CommandResult sample =
      run_ebmc("sample --target gaussian:d=2 --sampler l2hmc:model=" + model +
               " --chains 2 --warmup 20 --draws 50 --no-progress --out " + dir.file("run"));
  ASSERT_EQ(sample.exit_code, 0) << sample.err;
  std::ifstream in(dir.file("run") + "/summary.json");
  nlohmann::json summary = nlohmann::json::parse(in);
  EXPECT_EQ(summary["run"]["sampling_gradient_evals"], 2 * 50 * 3);
  testing::CommandResult single =
      run_ebmc("sample --target gaussian:d=2 --sampler l2hmc:model=" + model +
               ",precision=float32 --chains 2 --warmup 20 --draws 50 --no-progress --out " +
               dir.file("run32"));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  testing::CommandResult half =
      run_ebmc("sample --target gaussian:d=2 --sampler l2hmc:model=" + model +
               ",precision=float16 --chains 2 --draws 10 --no-progress --out " + dir.file("run16"));
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("precision"), std::string::npos) << half.err;

  testing::CommandResult wrong =
      run_ebmc("sample --target gaussian:d=3 --sampler l2hmc:model=" + model +
               " --chains 2 --draws 10 --no-progress --out " + dir.file("run2"));
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("was trained for target 'gaussian:d=2'"), std::string::npos)
      << wrong.err;
  testing::CommandResult same_name =
      run_ebmc("sample --target icg:d=2 --sampler l2hmc:model=" + model +
               " --chains 2 --draws 10 --no-progress --out " + dir.file("run4"));
  EXPECT_EQ(same_name.exit_code, 2);  // icg is a "gaussian" of dimension 2 too
  EXPECT_NE(same_name.err.find("a different density"), std::string::npos) << same_name.err;
  testing::CommandResult kind =
      run_ebmc("sample --target gaussian:d=2 --sampler entropy:model=" + model +
               " --chains 2 --draws 10 --no-progress --out " + dir.file("run3"));
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_NE(kind.err.find("holds a l2hmc kernel, not entropy"), std::string::npos) << kind.err;
}

TEST(TrainSamplerCliTest, ResumesFromTheCheckpointOfAnInterruptedRun) {
  testing::TempDir dir;
  const std::string args =
      "train-sampler --target icg:d=3 --sampler entropy:width=8 --batch 8 --seed 5 "
      "--checkpoint-every 10 --schedule exponential --no-progress --check-transitions 0 ";
  // (30 iterations leave a kernel that does not mix yet: no post-training check.) (The exponential
  // schedule does not depend on --steps, so a 20-iteration run is the first 20 iterations of a
  // 30-iteration one.) The whole run, and the same run "interrupted" after 20 iterations (its model
  // is renamed into the checkpoint a killed run would have left), then resumed to 30.
  ASSERT_EQ(run_ebmc(args + "--steps 30 --out " + dir.file("whole.pt")).exit_code, 0);
  ASSERT_EQ(run_ebmc(args + "--steps 20 --out " + dir.file("part.pt")).exit_code, 0);
  std::filesystem::rename(dir.file("part.pt"), dir.file("resumed.pt.ckpt"));
  testing::CommandResult refused = run_ebmc(args + "--steps 30 --out " + dir.file("resumed.pt"));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("pass --resume"), std::string::npos) << refused.err;
  testing::CommandResult resumed =
      run_ebmc(args + "--steps 30 --resume --out " + dir.file("resumed.pt"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resumed at iteration 20"), std::string::npos) << resumed.err;
  // Same draws from both models: training resumed exactly.
  for (const std::string name : {"whole", "resumed"}) {
    ASSERT_EQ(
        run_ebmc("sample --target icg:d=3 --sampler entropy:model=" + dir.file(name + ".pt") +
                 " --chains 2 --warmup 0 --draws 20 --seed 2 --no-progress --out " + dir.file(name))
            .exit_code,
        0);
  }
  using testing::slurp;
  EXPECT_EQ(slurp(dir.file("whole") + "/draws.csv"), slurp(dir.file("resumed") + "/draws.csv"));
}

TEST(TrainSamplerCliTest, RejectsBadInput) {
  testing::TempDir dir;
  const std::string out = " --out " + dir.file("m.pt");
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--target icg --sampler hmc", "unknown learned sampler"},
           {"--target icg --sampler l2hmc:leapfrog=0", "leapfrog must be >= 1"},
           {"--target icg --sampler entropy:variant=mala", "variant must be"},
           {"--target icg --sampler l2hmc:bogus=1", "bogus"},
           {"--target icg --sampler l2hmc --steps 0", "steps must be >= 1"},
           {"--target icg --sampler l2hmc --schedule linear", "schedule must be"},
           {"--target icg --sampler l2hmc --resume", "nothing to resume"},
       }) {
    testing::CommandResult r = run_ebmc("train-sampler " + c.args + out);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
  // Output paths are checked before training starts.
  for (const auto& [path, message] : std::vector<std::pair<std::string, std::string>>{
           {dir.file(""), "output path is a folder"},
           {dir.file("missing/m.pt"), "does not exist"}}) {
    testing::CommandResult r = run_ebmc(
        "train-sampler --target icg --sampler l2hmc --steps 100000 --no-progress --out " + path);
    EXPECT_EQ(r.exit_code, 2) << path;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  testing::CommandResult bench = run_ebmc("bench classical --quick --out " + dir.file("no/x.json"));
  EXPECT_EQ(bench.exit_code, 2);
  EXPECT_NE(bench.err.find("does not exist"), std::string::npos) << bench.err;
  testing::CommandResult missing = run_ebmc(
      "sample --target icg --sampler l2hmc --draws 5 --no-progress --out " + dir.file("r"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("needs model=PATH"), std::string::npos) << missing.err;
  testing::CommandResult junk =
      run_ebmc("sample --target icg --sampler l2hmc:model=" + dir.write("junk.pt", "xyz") +
               " --draws 5 --no-progress --out " + dir.file("r2"));
  EXPECT_EQ(junk.exit_code, 2);
  EXPECT_NE(junk.err.find("not an ebmc model file"), std::string::npos) << junk.err;
}

TEST(TrainSamplerCliTest, DegenerateTrainingFailsAndInterruptedTrainingCanResume) {
  testing::TempDir dir;
  const std::string model = dir.file("m.pt");
  // A step size of 1000 with a learning rate too small to fix it: nothing is ever accepted.
  const std::string collapsed =
      "train-sampler --target gaussian:d=2 --sampler l2hmc:leapfrog=3,hidden=4,step_size=1000 "
      "--steps 20 --lr 1e-12 --min-lr 1e-13 --no-progress --out " +
      model;
  testing::CommandResult r = run_ebmc(collapsed);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("training failed: the acceptance collapsed"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(model));
  EXPECT_TRUE(std::filesystem::exists(model + ".ckpt"));
  testing::CommandResult allowed = run_ebmc(collapsed + " --resume --allow-degenerate");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_TRUE(std::filesystem::exists(model));

  // SIGINT: the run checkpoints where it is and exits 130; --resume continues from there.
  const std::string slow = dir.file("slow.pt");
  const std::string command = std::string(EBMC_CLI_PATH) +
                              " train-sampler --target gaussian:d=2 --sampler l2hmc:leapfrog=3 "
                              "--steps 10000000 --checkpoint-every 0 --no-progress --out " +
                              slow + " 2>" + slow + ".err & pid=$!; sleep 2.5; kill -INT $pid; " +
                              "wait $pid; exit $?";
  const int status = std::system(("sh -c '" + command + "'").c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 130);
  EXPECT_TRUE(std::filesystem::exists(slow + ".ckpt"));
  EXPECT_FALSE(std::filesystem::exists(slow));
  std::ifstream err(slow + ".err");
  const std::string message((std::istreambuf_iterator<char>(err)),
                            std::istreambuf_iterator<char>());
  EXPECT_NE(message.find("continue with --resume"), std::string::npos) << message;
}

TEST(TrainSamplerCliTest, TwoProcessesTrainTheKernelOfOneAndResumeOnlyWithTwo) {
  testing::TempDir dir;
  const std::string args =
      "train-sampler --target icg:d=3 --sampler l2hmc:leapfrog=2,hidden=8,jump=both --batch 17 "
      "--check-transitions 0 --checkpoint-every 10 --no-progress --steps ";
  const testing::CommandResult one = run_ebmc(args + "30 --out " + dir.file("one.pt"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const testing::CommandResult two =
      run_ebmc("launch -n 2 -- ebmc " + args + "30 --out " + dir.file("two.pt"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(two.out.find("trained"), two.out.rfind("trained")) << "rank 0 reports, once";
  EXPECT_NE(two.out.find("data-parallel over 2 processes"), std::string::npos) << two.out;
  EXPECT_LT((testing::flat_parameters(*load_learned_kernel(dir.file("one.pt"))) -
             testing::flat_parameters(*load_learned_kernel(dir.file("two.pt"))))
                .abs()
                .max()
                .item<double>(),
            1e-10);
  // Extending the two-process run in one process is refused with the reason; with two it runs.
  const std::string extend = args + "40 --resume --out " + dir.file("two.pt");
  const testing::CommandResult resumed = run_ebmc(extend);
  EXPECT_EQ(resumed.exit_code, 2);
  EXPECT_NE(resumed.err.find("written by a job of 2 processes, this one has 1"), std::string::npos)
      << resumed.err;
  const testing::CommandResult extended = run_ebmc("launch -n 2 -- ebmc " + extend);
  EXPECT_EQ(extended.exit_code, 0) << extended.err;
  EXPECT_NE(extended.out.find("40 iterations"), std::string::npos) << extended.out;
}

}  // namespace
}  // namespace ebmc
