// `ebmc diagnose`: the table, the JSON, and a one-line error with exit code 2 for bad input.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "ebmc/io/csv_reader.h"
#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

const std::string kDiagnosticsDir = std::string(EBMC_TESTDATA_DIR) + "/diagnostics";

/// Exit code 2 and exactly one line `ebmc: <what> (<where>)` on stderr.
void expect_bad_input(const std::string& args, const std::string& what, const std::string& where) {
  testing::CommandResult r = run_ebmc(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("ebmc: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(" + where + ")"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(DiagnoseCliTest, MatrixJsonMatchesPosteriorReference) {
  testing::CommandResult r =
      run_ebmc("diagnose --matrix --json " + kDiagnosticsDir + "/ar1_rho0.95.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("x"));
  for (const char* field : {"mean", "sd", "q5", "q50", "q95", "rhat", "rhat_basic", "ess_bulk",
                            "ess_tail", "ess_basic", "ess_mean", "mcse_mean", "mcse_sd"}) {
    EXPECT_TRUE(j["x"].contains(field)) << field;
  }
  EXPECT_NEAR(j["x"]["ess_bulk"].get<double>(), 93.8051754279946, 1e-6 * 93.8);
  EXPECT_NEAR(j["x"]["rhat"].get<double>(), 1.0360837359244, 1e-6);
}

TEST(DiagnoseCliTest, UndefinedValuesAreNullInJsonAndExplainedInTable) {
  testing::CommandResult json =
      run_ebmc("diagnose --matrix --json " + kDiagnosticsDir + "/bernoulli.csv");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_TRUE(j["x"]["ess_tail"].is_null());
  EXPECT_TRUE(j["x"]["ess_bulk"].is_number());
  testing::CommandResult table =
      run_ebmc("diagnose --matrix " + kDiagnosticsDir + "/bernoulli.csv");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("NA"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("tail-ESS undefined"), std::string::npos) << table.out;
}

TEST(DiagnoseCliTest, LongFormatTableHasOneRowPerParameter) {
  testing::TempDir dir;
  std::string csv = "chain,iter,alpha,beta\n";
  for (int c = 1; c <= 2; ++c) {
    for (int i = 1; i <= 20; ++i) {
      csv += std::to_string(c) + "," + std::to_string(i) + "," + std::to_string(std::sin(i * c)) +
             "," + std::to_string(std::cos(3 * i + c)) + "\n";
    }
  }
  testing::CommandResult r = run_ebmc("diagnose " + dir.write("d.csv", csv));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* column :
       {"mean", "sd", "mcse_mean", "q5", "q50", "q95", "ess_bulk", "ess_tail", "rhat"}) {
    EXPECT_NE(r.out.find(column), std::string::npos) << column;
  }
  EXPECT_NE(r.out.find("\nalpha "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nbeta "), std::string::npos) << r.out;
}

TEST(DiagnoseCliTest, BadInputGivesOneLineAndExitCode2) {
  testing::TempDir dir;
  expect_bad_input("diagnose " + dir.file("nope.csv"), "cannot open file", dir.file("nope.csv"));
  const std::string empty = dir.write("empty.csv", "");
  expect_bad_input("diagnose " + empty, "file is empty", empty);
  expect_bad_input("diagnose --matrix " + empty, "file is empty", empty);
  const std::string ragged = dir.write("ragged.csv", "chain,iter,a\n1,1,2\n1,2,3,4\n");
  expect_bad_input("diagnose " + ragged, "row has 4 fields, expected 3", ragged + ":3");
  const std::string text = dir.write("text.csv", "1,2\n3,4\nfoo,5\n");
  expect_bad_input("diagnose --matrix " + text, "non-numeric field 'foo'", text + ":3");
  const std::string single = dir.write("single.csv", "chain,iter,a\n1,1,2\n");
  expect_bad_input("diagnose " + single, "need at least 2 draws per chain", single);
  const std::string header = dir.write("header.csv", "chain,a\n1,2\n1,3\n");
  expect_bad_input("diagnose " + header, "header must be 'chain,iter,", header + ":1");
  const std::string latin1 = dir.write("latin1.csv", "chain,iter,caf\xe9\n1,1,2\n1,2,3\n");
  expect_bad_input("diagnose " + latin1, "header column 3 is not valid UTF-8 text", latin1 + ":1");
  const std::string repeated = dir.write("repeated.csv", "chain,iter,a,a\n1,1,2,3\n1,2,3,4\n");
  expect_bad_input("diagnose " + repeated, "column 4 repeats the name 'a' of column 3",
                   repeated + ":1");
  expect_bad_input("diagnose", "file is required", "command line; see ebmc --help");
  expect_bad_input("diagnose --bogus x", "bogus", "command line; see ebmc --help");
}

TEST(DiagnoseCliTest, MergesFilesAndReadsStandardInput) {
  testing::TempDir dir;
  const std::string a = dir.write("a.csv", "chain,iter,x\n1,1,0.1\n1,2,0.5\n1,3,0.2\n1,4,0.9\n");
  const std::string b = dir.write("b.csv", "chain,iter,x\n1,1,0.3\n1,2,0.4\n1,3,0.8\n1,4,0.6\n");
  testing::CommandResult merged = run_ebmc("diagnose --json " + a + " " + b);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const double mean = nlohmann::json::parse(merged.out)["x"]["mean"].get<double>();
  EXPECT_NEAR(mean, (0.1 + 0.5 + 0.2 + 0.9 + 0.3 + 0.4 + 0.8 + 0.6) / 8.0, 1e-12);
  // The same file twice: identical chains fake agreement, and diagnose says so.
  testing::CommandResult twice = run_ebmc("diagnose " + a + " " + a);
  ASSERT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_NE(twice.err.find("merged chains 1 and 2 are identical"), std::string::npos) << twice.err;
  testing::CommandResult piped = run_ebmc("diagnose --json - < " + a);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NEAR(nlohmann::json::parse(piped.out)["x"]["mean"].get<double>(), 0.425, 1e-12);
}

}  // namespace
}  // namespace ebmc
