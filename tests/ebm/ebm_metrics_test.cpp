// add_training_warnings: a trained model's own metrics decide whether the run ends with warnings
// (unmixed negatives, wrong mode weights) or as diverged (non-finite metrics).

#include "ebmc/ebm/ebm_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace ebmc {
namespace {

bool mentions(const std::vector<std::string>& warnings, const std::string& text) {
  for (const std::string& w : warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(EbmMetricsTest, PoorMetricsEndTheRunWithWarnings) {
  // 200 ULA steps on two_to_one: one mode lost, negatives far from mixed.
  nlohmann::json poor = {{"negatives_max_rhat", 3.96},
                         {"mode_weights", {3e-11, 1.0}},
                         {"true_mode_weights", {1.0 / 3.0, 2.0 / 3.0}},
                         {"mode_weight_mse", 0.11}};
  const std::vector<std::string> warnings = add_training_warnings(poor);
  EXPECT_TRUE(mentions(warnings, "negatives_max_rhat is 3.96"));
  EXPECT_TRUE(mentions(warnings,
                       "the learned mode weights [3e-11, 1] are far from the true "
                       "[0.333, 0.667]"));
  EXPECT_EQ(poor.at("warnings").size(), warnings.size());
  EXPECT_FALSE(poor.contains("nonfinite_metrics"));

  nlohmann::json good = {{"negatives_max_rhat", 1.004},
                         {"mode_weights", {0.31, 0.69}},
                         {"true_mode_weights", {1.0 / 3.0, 2.0 / 3.0}}};
  EXPECT_TRUE(add_training_warnings(good).empty());
  EXPECT_FALSE(good.contains("warnings"));

  nlohmann::json diverged = {{"test_log_likelihood", std::nan("")}, {"iterations", 10}};
  EXPECT_TRUE(mentions(add_training_warnings(diverged), "test_log_likelihood is not finite"));
  EXPECT_EQ(diverged.at("nonfinite_metrics"), nlohmann::json::array({"test_log_likelihood"}));
}

}  // namespace
}  // namespace ebmc
