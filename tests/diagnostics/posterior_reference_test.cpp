// Matches every diagnostic against the values R's `posterior` 1.4.0 computes for the draws as the
// test files hold them (tools/posterior_reference.R wrote them to
// tests/diagnostics/posterior_reference): the cases of ../shared/testdata/diagnostics (one
// iterations x chains file per case), and tied draws — rounded, integer, constant chains, a
// constant parameter — that the script made.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <utility>
#include <string>
#include <vector>

#include "ebmc/diagnostics/ess.h"
#include "ebmc/diagnostics/mcse.h"
#include "ebmc/diagnostics/rhat.h"
#include "ebmc/diagnostics/transforms.h"
#include "ebmc/io/csv_reader.h"
#include "ebmc/io/draws_csv.h"

namespace ebmc {
namespace {

const std::string kReferenceDir = std::string(EBMC_TESTDATA_DIR) + "/diagnostics";
const std::string kTiesDir = std::string(EBMC_TESTS_DIR) + "/diagnostics/posterior_reference";

struct ExpectedRow {
  std::string name;
  std::map<std::string, double> values;
};

std::vector<ExpectedRow> read_expected(const std::string& file) {
  CsvReader reader(file);
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

void expect_matches(double actual, double expected, const std::string& what,
                    double tolerance = 1e-6) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected NA, got " << actual;
  } else if (std::isinf(expected)) {
    EXPECT_EQ(actual, expected) << what;
  } else {
    EXPECT_NEAR(actual, expected, tolerance * std::fabs(expected)) << what;
  }
}

/// Every diagnostic of every case in `dir` against posterior's in `expected_file`, to relative
/// `tolerance`.
void expect_cases_match(const std::string& dir, const std::string& expected_file, size_t cases,
                        double tolerance) {
  const std::vector<ExpectedRow> rows = read_expected(expected_file);
  ASSERT_EQ(rows.size(), cases);
  for (const ExpectedRow& row : rows) {
    SCOPED_TRACE(row.name);
    const ChainMatrix draws = read_matrix_draws(dir + "/" + row.name + ".csv");
    std::vector<std::pair<std::string, double>> actual = {
        {"rhat", rhat(draws)},         {"rhat_basic", rhat_basic(draws)},
        {"ess_bulk", ess_bulk(draws)}, {"ess_tail", ess_tail(draws)},
        {"ess_basic", ess_basic(draws)}, {"ess_mean", ess_mean(draws)},
        {"mcse_mean", mcse_mean(draws)}, {"mcse_sd", mcse_sd(draws)}};
    if (row.values.count("rhat_bulk") != 0) {  // R-hat's two halves, each on its own
      actual.push_back({"rhat_bulk", rhat_of_chains(z_scale(split_chains(draws)))});
      actual.push_back({"rhat_tail", rhat_of_chains(z_scale(split_chains(fold_draws(draws))))});
    }
    for (const auto& [name, value] : actual) {
      expect_matches(value, row.values.at(name), row.name + " " + name, tolerance);
    }
  }
}

TEST(PosteriorReference, EveryCaseMatchesToRelativeError1e12) {
  // posterior's values for the draws as the shared files hold them (15 significant digits).
  expect_cases_match(kReferenceDir, kTiesDir + "/shared_expected.csv", 9, 1e-12);
}

TEST(PosteriorReference, TiedDrawsMatchToRelativeError1e12) {
  expect_cases_match(kTiesDir, kTiesDir + "/expected.csv", 9, 1e-12);
}

}  // namespace
}  // namespace ebmc
