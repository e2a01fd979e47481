// The demo output the README shows is what `make demo`'s Ising run prints (the Makefile's
// DEMO_ISING; tools/update_readme_demo.sh writes it), apart from the wall-clock figures.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "test_support.h"

namespace ebmc {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `text` with its timings (seconds, per-second rates) replaced by placeholders.
std::string without_timings(std::string text) {
  text = std::regex_replace(text, std::regex(R"(sampling: [0-9.e+-]+ s,)"), "sampling: <t> s,");
  text = std::regex_replace(text, std::regex(R"(: [0-9.e+-]+ per second,)"), ": <r> per second,");
  return text;
}

TEST(ReadmeDemoTest, TheReadmeShowsWhatTheDemoPrints) {
  const std::string source = EBMC_SOURCE_DIR;
  std::smatch match;
  const std::string makefile = read_text(source + "/Makefile");
  ASSERT_TRUE(std::regex_search(makefile, match, std::regex(R"(\nDEMO_ISING := ([^\n]*)\n)")));
  const std::string args = match[1];
  const std::string readme = read_text(source + "/README.md");
  ASSERT_TRUE(std::regex_search(
      readme, match, std::regex(R"(<!-- demo:ising -->\n```\n([\s\S]*?)```\n<!-- /demo -->)")));
  const std::string shown = match[1];
  testing::TempDir dir;
  const testing::CommandResult demo = testing::run_ebmc(args + " --out " + dir.file("ising"));
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_EQ(without_timings(shown), without_timings(demo.out))
      << "run tools/update_readme_demo.sh to show the demo's output";
  EXPECT_TRUE(demo.err.empty()) << "the demo warns: " << demo.err;
}

}  // namespace
}  // namespace ebmc
