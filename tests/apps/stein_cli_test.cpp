// `ebmc stein ksd|lksd|fssd`: JSON results that agree with the library on the same data, and
// the text verdict.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ebmc/stein/ksd.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

TEST(SteinCliTest, TestsAModelAgainstAFileOfPoints) {
  const testing::TempDir dir;
  Rng rng(9);
  const torch::Tensor x = rng.normal({100, 2}) + torch::tensor({1.0, 0.0}, torch::kFloat64);
  std::string csv = "a,b\n";
  for (int64_t i = 0; i < 100; ++i) {
    csv += std::to_string(x[i][0].item<double>()) + "," + std::to_string(x[i][1].item<double>()) +
           "\n";
  }
  const std::string file = dir.write("points.csv", csv);
  const testing::CommandResult ksd = run_ebmc("stein ksd --model gaussian:d=2 --data " + file +
                                              " --kernel rbf:bandwidth=1 --json");
  ASSERT_EQ(ksd.exit_code, 0) << ksd.err;
  const nlohmann::json j = nlohmann::json::parse(ksd.out);
  for (const char* key : {"statistic", "p_value", "n", "bandwidth"}) EXPECT_TRUE(j.contains(key));
  EXPECT_EQ(j.at("n"), 100);
  EXPECT_DOUBLE_EQ(j.at("bandwidth").get<double>(), 1.0);
  // The file's six decimals, as the CLI read them.
  const torch::Tensor read = torch::round(x * 1e6) / 1e6;
  std::unique_ptr<Target> model = make_target("gaussian:d=2");
  KsdOptions options;
  options.bandwidth = 1;
  options.bootstrap = 1;
  EXPECT_NEAR(j.at("statistic").get<double>(), ksd_test(*model, read, options, rng).statistic,
              1e-9);
  EXPECT_LT(j.at("p_value").get<double>(), 0.01);  // the data are shifted by 1
  // Without the header every row is still data: the same n and statistic.
  const std::string bare = dir.write("bare.csv", csv.substr(4));
  const testing::CommandResult bare_ksd = run_ebmc("stein ksd --model gaussian:d=2 --data " +
                                                   bare + " --kernel rbf:bandwidth=1 --json");
  ASSERT_EQ(bare_ksd.exit_code, 0) << bare_ksd.err;
  const nlohmann::json bare_j = nlohmann::json::parse(bare_ksd.out);
  EXPECT_EQ(bare_j.at("n"), 100);
  EXPECT_EQ(bare_j.at("statistic"), j.at("statistic"));
  // The paper's learned bandwidth: h from the first 20 rows, the test on the other 80.
  const testing::CommandResult learned =
      run_ebmc("stein ksd --model gaussian:d=2 --data " + file + " --kernel learned --json");
  ASSERT_EQ(learned.exit_code, 0) << learned.err;
  EXPECT_EQ(nlohmann::json::parse(learned.out).at("n"), 80);
  EXPECT_EQ(nlohmann::json::parse(learned.out).at("bandwidth_rows"), 20);

  const testing::CommandResult text =
      run_ebmc("stein lksd --model gaussian:d=2,mean=1 --data " + file);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("lksd statistic"), std::string::npos) << text.out;
  const testing::CommandResult fssd =
      run_ebmc("stein fssd --model gaussian:d=2 --data " + file + " --optimize-steps 20 --json");
  ASSERT_EQ(fssd.exit_code, 0) << fssd.err;
  EXPECT_EQ(nlohmann::json::parse(fssd.out).at("n"), 80);  // 20% tune the locations
}

TEST(SteinCliTest, LsdAndCompareRankTheTrueModelFirst) {
  const testing::CommandResult lsd = run_ebmc(
      "stein lsd --model gaussian:d=2,mean=1 --data gaussian:d=2 --rows 400 --steps 100 "
      "--critic mlp:hidden=32 --json");
  ASSERT_EQ(lsd.exit_code, 0) << lsd.err;
  const nlohmann::json j = nlohmann::json::parse(lsd.out);
  for (const char* key : {"lsd", "stderr", "p_value", "z", "n"}) EXPECT_TRUE(j.contains(key));
  EXPECT_EQ(j.at("n"), 40);  // the last 10%
  EXPECT_LT(j.at("p_value").get<double>(), 0.01);
  const testing::CommandResult compare = run_ebmc(
      "stein compare --models gaussian:d=2,mean=1 gaussian:d=2 gaussian:d=2,mean=0.3 "
      "--data gaussian:d=2 --rows 400 --steps 100 --critic mlp:hidden=32 --json");
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  const nlohmann::json ranking = nlohmann::json::parse(compare.out).at("ranking");
  ASSERT_EQ(ranking.size(), 3u);
  EXPECT_EQ(ranking[0].at("model"), "gaussian:d=2");
  EXPECT_EQ(ranking[2].at("model"), "gaussian:d=2,mean=1");
}

}  // namespace
}  // namespace ebmc
