// `ebmc report` and `--report`: what the page holds, and the errors for bad input.

#include "ebmc/report/html_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportTest, RunReportHoldsTableWarningsAndOnePlotPerView) {
  testing::TempDir dir;
  const std::string out = dir.file("run");
  testing::CommandResult r = run_ebmc(
      "sample --target funnel:d=3 --chains 3 --warmup 150 --draws 150 --seed 2 --no-progress "
      "--report --out " +
      out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_text(out + "/report.html");
  // 3 parameters x (trace, rank, autocorrelation, density) + pair + energy.
  EXPECT_EQ(count(html, "<figure class=plot>"), 14u);
  EXPECT_NE(html.find("<td>x.3</td>"), std::string::npos);
  EXPECT_NE(html.find("divergent transitions in red"), std::string::npos);
  EXPECT_NE(html.find("E-BFMI per chain"), std::string::npos);
  EXPECT_NE(html.find("<ul class=warn>"), std::string::npos);    // a funnel run warns
  EXPECT_EQ(html.find("http"), html.find("http://www.w3.org"));  // only SVG namespaces
  // ebmc report on the same folder, fewer parameters and another pair.
  testing::CommandResult again = run_ebmc("report " + out + " --params 1 --pair x.3,x.1");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string small = read_text(out + "/report.html");
  EXPECT_EQ(count(small, "<figure class=plot>"), 6u);
  EXPECT_NE(small.find("x.3 vs x.1"), std::string::npos);
}

TEST(ReportTest, TrainingLogGetsItsCurves) {
  testing::TempDir dir;
  const std::string log = dir.write(
      "model.training.csv",
      "iteration,loss,accept,esjd,learning_rate,temperature,skipped,seconds\n"
      "1,2.5,0.3,0.1,0.001,1,0,0.1\n2,2.0,0.5,0.2,0.0009,1,0,0.2\n3,1.5,0.6,0.3,0.0008,1,0,0.3\n");
  testing::CommandResult r = run_ebmc("report " + log);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_text(dir.file("model.training.html"));
  // Every column but iteration, skipped and seconds: loss, accept, esjd, lr, temperature.
  EXPECT_EQ(count(html, "<figure class=plot>"), 5u);
  EXPECT_NE(html.find("learning rate"), std::string::npos);
  // A flow's log has fewer columns, and gets just those.
  const std::string flow_log = dir.write(
      "flow.training.csv",
      "iteration,loss,learning_rate,accept,skipped,seconds\n1,2.5,0.01,nan,0,0.1\n"
      "2,2.0,0.01,nan,0,0.2\n");  // a column of NaNs only (e.g. ULA's acceptance) is left out
  ASSERT_EQ(run_ebmc("report " + flow_log).exit_code, 0);
  EXPECT_EQ(count(read_text(dir.file("flow.training.html")), "<figure class=plot>"), 2u);
}

TEST(ReportTest, BadInputIsRefusedBeforeAnyWork) {
  testing::TempDir dir;
  testing::CommandResult missing = run_ebmc("report " + dir.file("nowhere"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no such folder or training log"), std::string::npos);
  testing::CommandResult empty = run_ebmc("report " + dir.file("."));
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no draws.csv"), std::string::npos) << empty.err;
  const std::string bogus = dir.write("bogus.csv", "a,b\n1,2\n");
  testing::CommandResult not_log = run_ebmc("report " + bogus);
  EXPECT_EQ(not_log.exit_code, 2);
  EXPECT_NE(not_log.err.find("not a training log"), std::string::npos) << not_log.err;
  // No gnuplot: --report fails before sampling, and leaves no output folder behind.
  testing::CommandResult r =
      run_ebmc("sample --target gaussian:d=2 --report --no-progress --out " + dir.file("r"),
               "EBMC_GNUPLOT=/nonexistent/gnuplot");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("plots need gnuplot"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("r")));
  const std::string run = dir.file("run");
  ASSERT_EQ(
      run_ebmc("sample --target gaussian:d=2 --warmup 20 --draws 20 --no-progress --out " + run)
          .exit_code,
      0);
  testing::CommandResult pair = run_ebmc("report " + run + " --pair x.1,nope");
  EXPECT_EQ(pair.exit_code, 2);
  EXPECT_NE(pair.err.find("no parameter 'nope'"), std::string::npos) << pair.err;
}

}  // namespace
}  // namespace ebmc
