#include "ebmc/io/draws_csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "ebmc/core/errors.h"
#include "test_support.h"

namespace ebmc {
namespace {

using testing::expect_input_error;

TEST(DrawsCsvTest, ReadsLongFormatInAnyChainOrder) {
  testing::TempDir dir;
  const std::string path = dir.write("d.csv",
                                     "chain,iter,a,\"b\"\n"
                                     "1,1,0.5,1\n2,1,1.5,2\n1,2,-0.5,3\n\n2,2,NA,4\r\n");
  LongDraws d = read_long_draws(path);
  EXPECT_EQ(d.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.chain_ids, (std::vector<long long>{1, 2}));
  ASSERT_EQ(d.parameters.size(), 2u);
  EXPECT_EQ(d.parameters[0].iterations(), 2);
  EXPECT_EQ(d.parameters[0].chains(), 2);
  EXPECT_EQ(d.parameters[0](1, 0), -0.5);
  EXPECT_TRUE(std::isnan(d.parameters[0](1, 1)));
  EXPECT_EQ(d.parameters[1](1, 1), 4.0);
}

TEST(DrawsCsvTest, WriterRoundTripsDoublesExactly) {
  testing::TempDir dir;
  torch::Tensor x = torch::randn({3, 2}, torch::kFloat64);
  {
    std::ofstream out(dir.file("w.csv"));
    write_long_header(out, {"p", "q"});
    write_long_rows(out, 1, x);
    write_long_rows(out, 2, x * 2);
  }
  LongDraws d = read_long_draws(dir.file("w.csv"));
  for (int64_t c = 0; c < 3; ++c) {
    EXPECT_EQ(d.parameters[0](0, c), x[c][0].item<double>());
    EXPECT_EQ(d.parameters[1](1, c), 2 * x[c][1].item<double>());
  }
}

TEST(DrawsCsvTest, BadLongFilesNameFileAndLine) {
  testing::TempDir dir;
  expect_input_error([&] { read_long_draws(dir.file("missing.csv")); }, "cannot open file",
                     dir.file("missing.csv"));
  const std::string empty = dir.write("empty.csv", "");
  expect_input_error([&] { read_long_draws(empty); }, "file is empty", empty);
  const std::string ragged = dir.write("ragged.csv", "chain,iter,a\n1,1,0.5\n1,2\n");
  expect_input_error([&] { read_long_draws(ragged); }, "row has 2 fields, expected 3",
                     ragged + ":3");
  const std::string text = dir.write("text.csv", "chain,iter,a\n1,1,0.5\n1,2,abc\n");
  expect_input_error([&] { read_long_draws(text); }, "non-numeric field 'abc' in column a",
                     text + ":3");
  const std::string single = dir.write("single.csv", "chain,iter,a\n1,1,0.5\n2,1,0.7\n");
  expect_input_error([&] { read_long_draws(single); }, "need at least 2 draws per chain", single);
  const std::string no_iter = dir.write("noiter.csv", "chain,a\n1,0.5\n1,0.7\n");
  expect_input_error([&] { read_long_draws(no_iter); }, "header must be", no_iter + ":1");
  const std::string no_params = dir.write("noparams.csv", "chain,iter\n1,1\n1,2\n");
  expect_input_error([&] { read_long_draws(no_params); }, "header must be", no_params + ":1");
  const std::string unequal =
      dir.write("unequal.csv", "chain,iter,a\n1,1,0\n1,2,0\n1,3,0\n2,1,0\n2,2,0\n");
  expect_input_error([&] { read_long_draws(unequal); }, "chain 2 has 2 draws", unequal);
  const std::string repeated = dir.write("repeat.csv", "chain,iter,a\n1,1,0\n1,1,0\n");
  expect_input_error([&] { read_long_draws(repeated); }, "does not increase", repeated + ":3");
  const std::string fractional = dir.write("frac.csv", "chain,iter,a\n1.5,1,0\n");
  expect_input_error([&] { read_long_draws(fractional); }, "must hold integers", fractional + ":2");
  const std::string header_only = dir.write("header.csv", "chain,iter,a\n");
  expect_input_error([&] { read_long_draws(header_only); }, "no draws", header_only);
}

TEST(DrawsCsvTest, MatrixFormat) {
  testing::TempDir dir;
  ChainMatrix m = read_matrix_draws(dir.write("m.csv", "1,2,3\n4,5,6\n"));
  EXPECT_EQ(m.iterations(), 2);
  EXPECT_EQ(m.chains(), 3);
  EXPECT_EQ(m(1, 2), 6.0);
  const std::string ragged = dir.write("r.csv", "1,2,3\n4,5\n");
  expect_input_error([&] { read_matrix_draws(ragged); }, "row has 2 fields, expected 3",
                     ragged + ":2");
  const std::string single = dir.write("s.csv", "1,2,3\n");
  expect_input_error([&] { read_matrix_draws(single); }, "need at least 2 draws", single);
  const std::string text = dir.write("t.csv", "1,2\n3,x\n");
  expect_input_error([&] { read_matrix_draws(text); }, "non-numeric field 'x' in column 2",
                     text + ":2");
  const std::string overflow = dir.write("o.csv", "1\n1e999\n");
  expect_input_error([&] { read_matrix_draws(overflow); }, "non-numeric", overflow + ":2");
}

TEST(DrawsCsvTest, WriterPublishesOnlyCompleteRuns) {
  testing::TempDir dir;
  CsvDrawWriter writer(dir.file("draws.csv"), {"x.1"});
  State state{torch::ones({2, 1}, torch::kFloat64), torch::zeros({2}), torch::Tensor()};
  writer.on_start(RunOptions(), state);
  writer.on_draw(0, state.x, torch::Tensor());
  EXPECT_FALSE(std::filesystem::exists(dir.file("draws.csv")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("draws.csv.partial")));
  writer.on_draw(1, state.x, torch::Tensor());
  writer.on_finish(RunResult());
  EXPECT_TRUE(std::filesystem::exists(dir.file("draws.csv")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("draws.csv.partial")));
  EXPECT_EQ(read_long_draws(dir.file("draws.csv")).parameters[0].iterations(), 2);
}

TEST(DrawsCsvTest, ReadsCmdStanFilesAndMergesSeveralFilesAsChains) {
  testing::TempDir dir;
  // CmdStan: comments, sampler columns, warmup rows before "# Adaptation terminated" (dropped).
  const std::string a = dir.write(
      "a.csv",
      "# model = m\nlp__,accept_stat__,theta\n-1,0.9,9\n# Adaptation terminated\n# Step size = "
      "0.5\n-1,0.9,1\n-2,0.8,2\n-3,0.7,3\n# Elapsed Time: 0.1 seconds\n");
  // A UTF-8 byte-order mark is ignored.
  const std::string b =
      dir.write("b.csv", "\xEF\xBB\xBFlp__,accept_stat__,theta\n-1,1,4\n-1,1,5\n-1,1,6\n");
  std::vector<std::string> notes;
  LongDraws d = read_draws({a, b}, notes);
  EXPECT_EQ(d.names, (std::vector<std::string>{"lp__", "accept_stat__", "theta"}));
  ASSERT_EQ(d.parameters[2].chains(), 2);
  ASSERT_EQ(d.parameters[2].iterations(), 3);
  EXPECT_EQ(d.parameters[2](0, 0), 1.0);
  EXPECT_EQ(d.parameters[2](2, 1), 6.0);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("dropped 1 warmup draws"), std::string::npos);
  // Files with other columns, or repeated names, are refused naming the file.
  const std::string other = dir.write("c.csv", "lp__,accept_stat__,phi\n-1,1,1\n-1,1,2\n");
  expect_input_error([&] { read_draws({a, other}, notes); }, "columns differ", other);
  const std::string twice = dir.write("d.csv", "chain,iter,x,x\n1,1,0,0\n1,2,0,0\n");
  expect_input_error([&] { read_long_draws(twice); }, "column 4 repeats the name 'x'",
                     twice + ":1");
}

TEST(DrawsCsvTest, PartialFileOfAnInterruptedRunLosesItsTornLineAndIsTruncated) {
  testing::TempDir dir;
  const std::string partial =
      dir.write("draws.csv.partial", "chain,iter,a\n1,1,1\n2,1,2\n1,2,3\n2,2,4\n1,3,5\n2,3,0.12");
  std::vector<std::string> notes;
  LongDraws d = read_draws({partial}, notes);
  EXPECT_EQ(d.parameters[0].iterations(), 2);  // chain 2's torn row dropped, chain 1 truncated
  EXPECT_EQ(d.parameters[0](1, 1), 4.0);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("torn last line"), std::string::npos);
  EXPECT_NE(notes[1].find("chain 1 truncated from 3 to 2"), std::string::npos);
  // The same content in a complete file is an error, as before.
  const std::string complete =
      dir.write("draws.csv", "chain,iter,a\n1,1,1\n2,1,2\n1,2,3\n2,2,4\n1,3,5\n");
  expect_input_error([&] { read_long_draws(complete); }, "chain 2 has 2 draws", complete);
}

TEST(DrawsCsvTest, SummarizingAFileColumnBatchesAtATimeEqualsReadingItWhole) {
  testing::TempDir dir;
  std::string text = "chain,iter,a,b,c,lp__\n";
  for (int i = 1; i <= 30; ++i) {
    for (int c = 1; c <= 3; ++c) {
      text += std::to_string(c) + "," + std::to_string(i) + "," + std::to_string(std::sin(i * c)) +
              "," + std::to_string(std::cos(0.3 * i + c)) + "," + std::to_string(i % (c + 2)) +
              ",-1\n";
    }
  }
  const std::string path = dir.write("draws.csv.partial", text + "1,31,0.5,0.");  // torn line
  std::vector<std::string> notes;
  const LongDraws whole = read_draws({path}, notes);
  const std::vector<std::string> names = {"a", "b", "c"};
  const std::vector<ParameterSummary> expected =
      summarize_all(names, {whole.parameters[0], whole.parameters[1], whole.parameters[2]});
  for (double budget : {1.0, 8.0 * 90 * 2, 1e9}) {  // one column, two, all at a time
    const std::vector<ParameterSummary> got = summarize_draws_file(path, names, budget);
    ASSERT_EQ(got.size(), 3u);
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(got[k].name, names[k]);
      EXPECT_EQ(got[k].mean, expected[k].mean);
      EXPECT_EQ(got[k].rhat, expected[k].rhat);
      EXPECT_EQ(got[k].ess_bulk, expected[k].ess_bulk);
      EXPECT_EQ(got[k].q95, expected[k].q95);
    }
  }
  EXPECT_THROW(summarize_draws_file(path, {"nope"}, 1e9), InputError);
}

}  // namespace
}  // namespace ebmc
