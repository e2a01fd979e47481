#include "ebmc/core/row_matmul.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include "ebmc/core/rng.h"

namespace ebmc {
namespace {

TEST(RowMatmulTest, EqualsMatmul) {
  Rng rng(3);
  const torch::Tensor x = rng.normal({7, 13}), a = rng.normal({13, 5});
  EXPECT_TRUE(torch::allclose(row_matmul(x, a), x.matmul(a), 1e-12, 1e-12));
  const torch::Tensor xf = x.to(torch::kFloat32), af = a.to(torch::kFloat32);
  EXPECT_TRUE(torch::allclose(row_matmul(xf, af), xf.matmul(af), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(row_matmul(x, a.t().contiguous().t()), x.matmul(a), 1e-12, 1e-12));
}

TEST(RowMatmulTest, RowsDoNotDependOnTheBatchOrThreads) {
  Rng rng(4);
  const torch::Tensor x = rng.normal({64, 50}), a = rng.normal({50, 1000});
  const torch::Tensor all = row_matmul(x, a);
  for (int64_t rows : {1, 2, 3, 5, 17}) {
    EXPECT_TRUE(torch::equal(row_matmul(x.narrow(0, 0, rows), a), all.narrow(0, 0, rows)));
  }
  const int threads = at::get_num_threads();
  at::set_num_threads(threads == 1 ? 2 : 1);
  EXPECT_TRUE(torch::equal(row_matmul(x, a), all));
  at::set_num_threads(threads);
}

TEST(RowMatmulTest, KeepsAutograd) {
  const torch::Tensor x = torch::ones({2, 3}, torch::kFloat64).requires_grad_();
  const torch::Tensor a = torch::full({3, 2}, 2.0, torch::kFloat64);
  row_matmul(x, a).sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::full({2, 3}, 4.0, torch::kFloat64)));
}

}  // namespace
}  // namespace ebmc
