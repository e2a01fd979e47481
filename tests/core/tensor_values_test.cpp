#include "ebmc/core/tensor_values.h"

#include <gtest/gtest.h>

#include <vector>

namespace ebmc {
namespace {

TEST(TensorValuesTest, RowMajorFloat64CopyOfAnyLayoutAndDtype) {
  // A transposed (non-contiguous) float32 tensor that requires grad.
  const torch::Tensor t =
      torch::tensor({1.5f, 2.0f, -3.0f, 4.25f, 5.0f, 6.0f}).reshape({2, 3}).t().requires_grad_();
  const std::vector<double> expected{1.5, 4.25, 2.0, 5.0, -3.0, 6.0};
  EXPECT_EQ(to_vector(t), expected);
  EXPECT_TRUE(to_vector(torch::zeros({0}, torch::kFloat64)).empty());
}

}  // namespace
}  // namespace ebmc
