// Data files: one rule for every reader — a header of names, or (a first row of numbers) a file
// without a header whose first row is data; no row is ever lost to a would-be header.

#include "ebmc/io/dataset_csv.h"

#include <gtest/gtest.h>

#include "ebmc/core/errors.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/io/states_csv.h"
#include "test_support.h"

namespace ebmc {
namespace {

using testing::expect_input_error;

TEST(DatasetCsvTest, AFirstRowOfNumbersIsData) {
  testing::TempDir dir;
  std::string rows;
  for (int i = 0; i < 200; ++i) rows += std::to_string(i) + ".5,-" + std::to_string(i) + "e-3\n";
  const PointDataset plain = read_point_dataset(dir.write("plain.csv", rows));
  EXPECT_EQ(plain.x.size(0), 200);
  EXPECT_EQ(plain.names, (std::vector<std::string>{"x.1", "x.2"}));
  EXPECT_EQ(plain.x[0][0].item<double>(), 0.5);
  EXPECT_EQ(plain.x[199][1].item<double>(), -0.199);
  const PointDataset named = read_point_dataset(dir.write("named.csv", "a,b\n" + rows));
  EXPECT_EQ(named.x.size(0), 200);
  EXPECT_EQ(named.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(torch::equal(named.x, plain.x));
  // Comments and blank lines before the first row change nothing; a later bad row names its line.
  const std::string ragged = dir.write("ragged.csv", "# points\n\n1,2\n3\n");
  expect_input_error([&] { read_point_dataset(ragged); }, "row has 1 fields, expected 2",
                     ragged + ":4");
  const std::string nan_first = dir.write("nan.csv", "NaN,1\n2,3\n");
  expect_input_error([&] { read_point_dataset(nan_first); }, "is not finite", nan_first + ":1");
}

TEST(DatasetCsvTest, BinaryDataWithoutAHeaderNamesTheResponseY) {
  testing::TempDir dir;
  const BinaryDataset data = read_binary_dataset(dir.write("d.csv", "1,0.5,2\n0,1.5,-1\n1,2,0\n"));
  EXPECT_EQ(data.y.size(0), 3);
  EXPECT_EQ(data.predictor_names, (std::vector<std::string>{"x.1", "x.2"}));
  EXPECT_EQ(data.x[0][1].item<double>(), 2.0);
}

TEST(DatasetCsvTest, StatesFilesWithoutAHeaderKeepTheirFirstState) {
  testing::TempDir dir;
  const IsingModel ising = IsingModel::lattice(1, 3, 0.1);
  const torch::Tensor x = read_states_csv(dir.write("s.csv", "1,0,1\n0,0,1\n"), ising);
  EXPECT_TRUE(torch::equal(x, torch::tensor({{1.0, 0.0, 1.0}, {0.0, 0.0, 1.0}}, torch::kFloat64)));
}

TEST(DatasetCsvTest, DrawsFilesNeedTheirHeaderAndSaySo) {
  testing::TempDir dir;
  const std::string numbers = dir.write("n.csv", "1,1,0.5\n1,2,0.7\n");
  expect_input_error([&] { read_long_draws(numbers); },
                     "the first row holds numbers, not column names: add a header line "
                     "'chain,iter,<parameter names...>'",
                     numbers + ":1");
}

}  // namespace
}  // namespace ebmc
