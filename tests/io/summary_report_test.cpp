// The summary table keeps its columns whatever the values: huge R-hat, huge means, long names.

#include "ebmc/io/summary_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ebmc {
namespace {

TEST(SummaryTableTest, HugeValuesAndLongNamesDoNotShiftTheColumns) {
  ParameterSummary normal, huge;
  normal.name = "x.1";
  normal.mean = 0.5;
  normal.rhat = 1.001;
  huge.name = "a_rather_long_parameter_name_that_goes_on_and_on_for_more_than_sixty_four_chars";
  huge.mean = -1.2345678e300;
  huge.sd = 3e200;
  huge.rhat = 183529498118666.2;
  huge.ess_bulk = 4.008e25;
  const std::string table = format_summary_table({normal, huge});
  std::istringstream lines(table);
  std::string header, row1, row2;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_EQ(row1.size(), header.size()) << table;
  EXPECT_EQ(row2.size(), header.size()) << table;
  EXPECT_EQ(row2.rfind(huge.name, 0), 0u);  // the whole name, not cut at 63 characters
  EXPECT_NE(row2.find(" 1.835e+14"), std::string::npos) << row2;  // not 183529498118666.200
  EXPECT_EQ(table.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace ebmc
