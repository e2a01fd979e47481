// normal_quantile: bit for bit R's qnorm (tools/posterior_reference.R wrote R's values), and the
// edges.

#include "ebmc/diagnostics/normal_quantile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ebmc/io/csv_reader.h"

namespace ebmc {
namespace {

TEST(NormalQuantileTest, EqualsRsQnormBitForBit) {
  CsvReader reader(std::string(EBMC_TESTS_DIR) + "/diagnostics/posterior_reference/qnorm.csv");
  std::vector<std::string> fields;
  int64_t rows = 0;
  while (reader.next_row(fields)) {
    const double p = reader.parse_number(fields[0], "p");
    const double expected = reader.parse_number(fields[1], "qnorm");
    ASSERT_EQ(normal_quantile(p), expected) << "p = " << p << " (" << reader.where() << ")";
    ++rows;
  }
  EXPECT_GT(rows, 6000);
}

TEST(NormalQuantileTest, EdgesAreInfiniteOrUndefined) {
  EXPECT_EQ(normal_quantile(0.0), -INFINITY);
  EXPECT_EQ(normal_quantile(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(normal_quantile(std::nan(""))));
  EXPECT_EQ(normal_quantile(0.5), 0.0);
}

}  // namespace
}  // namespace ebmc
