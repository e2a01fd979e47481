// The RBF Stein kernel against its definition by automatic differentiation, the row-wise form,
// the median heuristic and Stein's identity.

#include "ebmc/stein/stein_kernel.h"

#include <gtest/gtest.h>

#include "ebmc/targets/registry.h"

namespace ebmc {
namespace {

/// u_q(x, y) = s(x)ᵀk s(y) + s(x)ᵀ∇_y k + ∇ₓkᵀ s(y) + tr ∇ₓ∇_y k, every derivative by autograd.
double stein_kernel_by_autograd(const torch::Tensor& x0, const torch::Tensor& sx,
                                const torch::Tensor& y0, const torch::Tensor& sy, double h) {
  torch::Tensor x = x0.clone().requires_grad_(true), y = y0.clone().requires_grad_(true);
  const torch::Tensor k = torch::exp(-(x - y).pow(2).sum() / (2 * h * h));
  const auto grads = torch::autograd::grad({k}, {x, y}, {}, /*retain_graph=*/true,
                                           /*create_graph=*/true);
  double trace = 0;
  for (int64_t i = 0; i < x.size(0); ++i) {
    trace += torch::autograd::grad({grads[0][i]}, {y}, {}, true)[0][i].item<double>();
  }
  return (sx.dot(sy) * k + sx.dot(grads[1]) + grads[0].dot(sy)).item<double>() + trace;
}

TEST(SteinKernelTest, MatrixAndRowsAreTheDefinition) {
  Rng rng(1);
  const torch::Tensor x = rng.normal({5, 3}), s = rng.normal({5, 3});
  const double h = 1.3;
  const torch::Tensor H = stein_kernel_matrix(x, s, h);
  for (int64_t i = 0; i < 5; ++i) {
    for (int64_t j = 0; j < 5; ++j) {
      EXPECT_NEAR(H[i][j].item<double>(), stein_kernel_by_autograd(x[i], s[i], x[j], s[j], h),
                  1e-12);
    }
  }
  const torch::Tensor rows = stein_kernel_rows(x.narrow(0, 0, 4), s.narrow(0, 0, 4),
                                               x.narrow(0, 1, 4), s.narrow(0, 1, 4), h);
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_NEAR(rows[i].item<double>(), H[i][i + 1].item<double>(), 1e-12);
  EXPECT_TRUE(torch::allclose(H, H.t(), 0, 1e-12));
}

TEST(SteinKernelTest, MedianHeuristicIsTheMedianPairwiseDistance) {
  // Points 0, 1, 3 on a line: distances 1, 2, 3.
  const torch::Tensor x = torch::tensor({0.0, 1.0, 3.0}, torch::kFloat64).unsqueeze(1);
  EXPECT_DOUBLE_EQ(median_bandwidth(x), 2.0);
}

TEST(SteinKernelTest, SteinIdentityHoldsUnderTheModel) {
  // E_q[u_q(x, x')] = 0 for independent x, x' ~ q: the mean over disjoint pairs is within 4 SE.
  std::unique_ptr<Target> model = make_target("gaussian:d=4,scale=1.5");
  Rng rng(3);
  const torch::Tensor x = 1.5 * rng.normal({20000, 4});
  const torch::Tensor s = model_score(*model, x);
  const torch::Tensor u =
      stein_kernel_rows(x.narrow(0, 0, 10000), s.narrow(0, 0, 10000), x.narrow(0, 10000, 10000),
                        s.narrow(0, 10000, 10000), 2.0);
  EXPECT_LT(std::abs(u.mean().item<double>()) / (u.std().item<double>() / 100.0), 4.0);
}

}  // namespace
}  // namespace ebmc
