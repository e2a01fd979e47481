// `ebmc launch` and distributed `ebmc sample`: processes on 127.0.0.1 only, bounded in time.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;
using testing::slurp;

TEST(LaunchCliTest, GivesEveryRankTorchrunsVariables) {
  const testing::CommandResult r = run_ebmc(
      "launch -n 3 -- sh -c 'echo rank=$RANK world=$WORLD_SIZE local=$LOCAL_RANK "
      "addr=$MASTER_ADDR port=${MASTER_PORT:+set} omp=$OMP_NUM_THREADS'",
      "env -u OMP_NUM_THREADS");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int rank = 0; rank < 3; ++rank) {
    const std::string line = "rank=" + std::to_string(rank) +
                             " world=3 local=" + std::to_string(rank) +
                             " addr=127.0.0.1 port=set omp=1";
    EXPECT_NE(r.out.find(line), std::string::npos) << r.out;
  }
}

TEST(LaunchCliTest, AFailedRankStopsTheOthersAndGivesItsExitCode) {
  const auto start = std::chrono::steady_clock::now();
  const testing::CommandResult r =
      run_ebmc("launch -n 2 --grace 5 -- sh -c 'if [ $RANK = 1 ]; then exit 3; fi; sleep 60'");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("ebmc: rank 1 exited with code 3; stopping the other ranks (launch)"),
            std::string::npos)
      << r.err;
  EXPECT_LT(seconds, 20) << "rank 0 must be stopped, not waited for";
}

TEST(LaunchCliTest, ARankIgnoringSigtermIsKilledAfterTheGracePeriod) {
  const auto start = std::chrono::steady_clock::now();
  const testing::CommandResult r = run_ebmc(
      "launch -n 2 --grace 1 -- sh -c 'trap \"\" TERM; if [ $RANK = 0 ]; then exit 4; fi; "
      "sleep 30'");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_LT(seconds, 20);
}

TEST(LaunchCliTest, RefusesACommandThatDoesNotExist) {
  const testing::CommandResult r = run_ebmc("launch -n 2 -- /nonexistent/program");
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("ebmc: cannot run '/nonexistent/program'"), std::string::npos) << r.err;
}

/// `ebmc sample` in one process and under `ebmc launch -n 2`: the same draws.csv, byte for byte.
void expect_distributed_run_matches(const std::string& sample_args, const std::string& launch) {
  testing::TempDir dir;
  const std::string args = "sample " + sample_args + " --no-progress --out ";
  const testing::CommandResult one = run_ebmc(args + dir.file("one"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const testing::CommandResult two =
      run_ebmc("launch -n 2 " + launch + " -- ebmc " + args + dir.file("two"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string draws = slurp(dir.file("one/draws.csv"));
  EXPECT_FALSE(draws.empty());
  EXPECT_TRUE(draws == slurp(dir.file("two/draws.csv"))) << "draws.csv differs";
  // The summary's diagnostics and counts are those of the one-process run (times aside).
  nlohmann::json a = nlohmann::json::parse(slurp(dir.file("one/summary.json")));
  nlohmann::json b = nlohmann::json::parse(slurp(dir.file("two/summary.json")));
  EXPECT_EQ(a["parameters"], b["parameters"]);
  for (const char* key : {"chains", "gradient_evals", "energy_evals", "sampling_gradient_evals",
                          "divergences", "nonfinite_rejections", "accepted_flips", "tuning"}) {
    EXPECT_EQ(a["run"][key], b["run"][key]) << key;
  }
  EXPECT_NEAR(a["run"]["accept_rate"].get<double>(), b["run"]["accept_rate"].get<double>(), 1e-12);
  // One summary printed, by rank 0.
  const std::string first_line = one.out.substr(0, one.out.find('\n') + 1);
  EXPECT_EQ(two.out.find(first_line), two.out.rfind(first_line)) << two.out;
  EXPECT_NE(two.out.find(first_line), std::string::npos) << two.out;
}

TEST(LaunchCliTest, TwoProcessNutsRunEqualsTheOneProcessRun) {
  expect_distributed_run_matches(
      "--target rotated_icg:d=4 --chains 5 --warmup 80 --draws 50 --seed 11", "");
}

TEST(LaunchCliTest, TwoProcessGwgRunThroughAFileStoreEqualsTheOneProcessRun) {
  expect_distributed_run_matches("--target ising:n=5 --sampler gwg --chains 4 --draws 60 --seed 3",
                                 "--file-store");
}

TEST(LaunchCliTest, DistributedSamplingRefusesWhatItCannotDo) {
  testing::TempDir dir;
  testing::CommandResult r = run_ebmc(
      "launch -n 2 -- ebmc sample --target gaussian:d=2 --chains 1 "
      "--no-progress --out " +
      dir.file("x"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs at least 2 chains, got 1 (--chains)"), std::string::npos) << r.err;
  r = run_ebmc("launch -n 2 -- ebmc sample --target gaussian:d=2 --stream --no-progress --out " +
               dir.file("y"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not available in a distributed run (WORLD_SIZE=2) (--stream)"),
            std::string::npos)
      << r.err;
}

TEST(LaunchCliTest, AnInterruptedDataParallelTrainingCheckpointsOnceAndResumes) {
  testing::TempDir dir;
  const std::string flow = dir.file("flow.pt");
  const std::string train = std::string(EBMC_CLI_PATH) + " launch -n 2 -- ebmc train-flow " +
                            "--target banana --flow realnvp:blocks=1,hidden=4 --batch 16 " +
                            "--checkpoint-every 20 --no-progress --out " + flow;
  // SIGINT to the launcher, once both ranks train (rank 0 has written a periodic checkpoint;
  // at most 60 s on a loaded machine), reaches both; they agree to stop, rank 0 checkpoints.
  const std::string command = train + " --steps 10000000 2>" + flow +
                              ".err & pid=$!; for i in $(seq 300); do [ -e " + flow +
                              ".ckpt ] && break; sleep 0.2; done; kill -INT $pid; wait $pid; "
                              "exit $?";
  const int status = std::system(("sh -c '" + command + "'").c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 130);
  EXPECT_TRUE(std::filesystem::exists(flow + ".ckpt"));
  EXPECT_FALSE(std::filesystem::exists(flow));
  EXPECT_NE(slurp(flow + ".err").find("continue with --resume"), std::string::npos)
      << slurp(flow + ".err");
  // Two processes resume it (to a budget it has already reached: the run ends at once).
  const testing::CommandResult resumed = run_ebmc(
      "launch -n 2 -- ebmc train-flow --target banana --flow realnvp:blocks=1,hidden=4 "
      "--batch 16 --steps 1 --resume --no-progress --out " +
      flow);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resumed at iteration"), std::string::npos) << resumed.err;
  EXPECT_TRUE(std::filesystem::exists(flow));
}

}  // namespace
}  // namespace ebmc
