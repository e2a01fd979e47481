// The top level of `ebmc`: version, help, and a suggestion for a mistyped sub-command — run as
// the installed binary is (the other CLI tests mostly run the command line in-process).

#include <gtest/gtest.h>

#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc_binary;

TEST(MainCliTest, VersionHelpAndMistypedCommands) {
  testing::CommandResult version = run_ebmc_binary("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("ebmc ", 0), 0u) << version.out;
  testing::CommandResult help = run_ebmc_binary("help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"sample", "diagnose", "train-sampler", "bench", "list"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  testing::CommandResult typo = run_ebmc_binary("sampel --target gaussian");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err,
            "ebmc: unknown command 'sampel'; did you mean 'sample'? (command line; see ebmc "
            "help)\n");
  testing::CommandResult unknown = run_ebmc_binary("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err.find("did you mean"), std::string::npos);
}

}  // namespace
}  // namespace ebmc
