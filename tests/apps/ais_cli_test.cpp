// `ebmc ais`: log Z of a small Ising model against exact enumeration, and the test-set
// log-likelihood of states written by `ebmc sample --save-states`, with a base fitted to them.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

using testing::run_ebmc;

TEST(AisCliTest, EstimatesLogZAndTheLogLikelihoodOfSavedStates) {
  testing::TempDir dir;
  const std::string spec = "ising:n=3,theta=0.2";
  std::unique_ptr<DiscreteTarget> ising = make_discrete_target(spec);
  const torch::Tensor f = ising->log_prob(all_states(*ising));
  const double exact = torch::logsumexp(f, 0).item<double>();

  testing::CommandResult sample =
      run_ebmc("sample --target " + spec +
               " --sampler gibbs --chains 2 --warmup 100 --draws 200 --save-states "
               "--no-progress --out " +
               dir.file("run"));
  ASSERT_EQ(sample.exit_code, 0) << sample.err;
  const std::string states = dir.file("run") + "/states.csv";
  testing::CommandResult ais =
      run_ebmc("ais --target " + spec + " --steps 200 --chains 200 --seed 3 --json --data " +
               states + " --base data:" + states);
  ASSERT_EQ(ais.exit_code, 0) << ais.err;
  const nlohmann::json out = nlohmann::json::parse(ais.out);
  EXPECT_NEAR(out.at("log_z").get<double>(), exact, 4 * out.at("log_z_stderr").get<double>() + 1e-3)
      << ais.out;
  EXPECT_EQ(out.at("rows"), 400);
  EXPECT_LT(out.at("log_likelihood").get<double>(), 0.0);
  // Human-readable output.
  testing::CommandResult text = run_ebmc("ais --target " + spec + " --steps 20 --chains 10");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("log Z = "), std::string::npos) << text.out;
}

}  // namespace
}  // namespace ebmc
