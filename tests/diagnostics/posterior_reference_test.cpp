// Matches every diagnostic against values R's `posterior` 1.4.0 computed for the same draws
// (../shared/testdata/diagnostics: expected.csv and one iterations x chains file per case).

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ebmc/diagnostics/ess.h"
#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/rhat.h"
#include "ebmc/io/csv_reader.h"
#include "ebmc/io/draws_csv.h"

namespace ebmc {
namespace {

const std::string kReferenceDir = std::string(EBMC_TESTDATA_DIR) + "/diagnostics";

struct ExpectedRow {
  std::string name;
  std::map<std::string, double> values;
};

std::vector<ExpectedRow> read_expected() {
  CsvReader reader(kReferenceDir + "/expected.csv");
  std::vector<std::string> header;
  std::vector<std::string> fields;
  EXPECT_TRUE(reader.next_row(header));
  std::vector<ExpectedRow> rows;
  while (reader.next_row(fields)) {
    ExpectedRow row;
    row.name = fields[0];
    for (size_t j = 1; j < fields.size(); ++j) {
      row.values[header[j]] = reader.parse_number(fields[j], header[j]);
    }
    rows.push_back(row);
  }
  return rows;
}

void expect_matches(double actual, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected NA, got " << actual;
  } else {
    EXPECT_NEAR(actual, expected, 1e-6 * std::fabs(expected)) << what;
  }
}

TEST(PosteriorReference, EveryCaseMatchesToRelativeError1e6) {
  const std::vector<ExpectedRow> rows = read_expected();
  ASSERT_EQ(rows.size(), 9u);
  for (const ExpectedRow& row : rows) {
    SCOPED_TRACE(row.name);
    const ChainMatrix draws = read_matrix_draws(kReferenceDir + "/" + row.name + ".csv");
    expect_matches(rhat(draws), row.values.at("rhat"), row.name + " rhat");
    expect_matches(rhat_basic(draws), row.values.at("rhat_basic"), row.name + " rhat_basic");
    expect_matches(ess_bulk(draws), row.values.at("ess_bulk"), row.name + " ess_bulk");
    expect_matches(ess_tail(draws), row.values.at("ess_tail"), row.name + " ess_tail");
    expect_matches(ess_basic(draws), row.values.at("ess_basic"), row.name + " ess_basic");
    expect_matches(ess_mean(draws), row.values.at("ess_mean"), row.name + " ess_mean");
    expect_matches(mcse_mean(draws), row.values.at("mcse_mean"), row.name + " mcse_mean");
    expect_matches(mcse_sd(draws), row.values.at("mcse_sd"), row.name + " mcse_sd");
  }
}

}  // namespace
}  // namespace ebmc
