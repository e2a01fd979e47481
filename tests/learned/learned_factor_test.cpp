// The learned preconditioner L: the raw-memory copy agrees with the tensor operations, solves
// invert products, `set` round-trips, and bad factors are refused.

#include "ebmc/learned/learned_factor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ebmc/core/tensor_values.h"
#include "learned_test_support.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// One row `f` applied in raw memory to every row of `rows` [n, d].
template <typename RowOp>
torch::Tensor plain_rows(const torch::Tensor& rows, RowOp f) {
  torch::Tensor out = rows.clone().contiguous();
  double* data = out.data_ptr<double>();
  const int64_t d = rows.size(1);
  for (int64_t r = 0; r < rows.size(0); ++r) f(data + r * d);
  return out;
}

TEST(LearnedFactorTest, RawMemoryAgreesWithTheTensorOperationsAndSolvesInvert) {
  torch::nn::Module owner;
  LearnedFactor factor(owner, 5);
  Rng rng(41);
  const torch::Tensor lower = testing::random_lower_factor(5, 0.7, rng);
  factor.set(lower, "test");
  EXPECT_TRUE(torch::allclose(factor.matrix(), lower, 1e-12, 1e-14));
  EXPECT_NEAR(factor.log_det().item<double>(),
              torch::log(torch::diagonal(lower)).sum().item<double>(), 1e-12);
  const PlainFactor plain = factor.plain();
  EXPECT_NEAR(plain.log_det, factor.log_det().item<double>(), 1e-14);
  torch::NoGradGuard no_grad;
  const torch::Tensor v = rng.normal({4, 5});
  const torch::Tensor times = v.matmul(lower.t());
  EXPECT_TRUE(torch::allclose(factor.times(v), times, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(factor.transposed_times(v), v.matmul(lower), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(factor.solve(times), v, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(factor.transposed_solve(v.matmul(lower)), v, 1e-10, 1e-12));
  const torch::Tensor plain_times = plain_rows(v, [&](double* row) {
    std::vector<double> in(row, row + 5);
    plain.times(in.data(), row);
  });
  EXPECT_TRUE(torch::allclose(plain_times, factor.times(v), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(plain_rows(v, [&](double* row) { plain.transposed_times(row); }),
                              factor.transposed_times(v), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(plain_rows(v, [&](double* row) { plain.solve(row); }),
                              factor.solve(v), 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(plain_rows(v, [&](double* row) { plain.transposed_solve(row); }),
                              factor.transposed_solve(v), 1e-10, 1e-12));
}

TEST(LearnedFactorTest, StartsAtTheIdentityAndAnAbsentFactorChangesNothing) {
  torch::nn::Module owner;
  const LearnedFactor factor(owner, 3);
  EXPECT_TRUE(factor.present());
  EXPECT_TRUE(torch::equal(factor.matrix(), torch::eye(3, torch::kFloat64)));
  EXPECT_EQ(owner.named_parameters().size(), 1u);
  EXPECT_TRUE(owner.named_parameters().contains("factor"));
  const LearnedFactor none = LearnedFactor::identity(3);
  EXPECT_FALSE(none.present());
  EXPECT_TRUE(none.plain().empty());
  EXPECT_EQ(none.log_det().item<double>(), 0.0);
  const torch::Tensor v = torch::arange(6, torch::kFloat64).reshape({2, 3});
  for (const torch::Tensor& out :
       {none.times(v), none.transposed_times(v), none.solve(v), none.transposed_solve(v)}) {
    EXPECT_TRUE(torch::equal(out, v));
  }
  std::vector<double> row = {1, 2, 3}, copy(3);
  none.plain().times(row.data(), copy.data());
  EXPECT_EQ(copy, row);
}

TEST(LearnedFactorTest, FitsTheCholeskyFactorOfTheDrawsCovarianceAndFreezes) {
  torch::nn::Module owner;
  LearnedFactor factor(owner, 3);
  Rng rng(47);
  const torch::Tensor lower = testing::random_lower_factor(3, 0.8, rng);
  const torch::Tensor draws = 2.0 + rng.normal({400, 3}).matmul(lower.t());
  factor.fit(draws, "test");
  const torch::Tensor centred = draws - draws.mean(0, true);
  const torch::Tensor sample_covariance = centred.t().matmul(centred) / 399.0;
  const torch::Tensor fitted = factor.matrix().detach();
  EXPECT_TRUE(torch::allclose(fitted.matmul(fitted.t()), sample_covariance, 1e-8, 1e-8));
  EXPECT_TRUE(torch::allclose(fitted, lower, 0.15, 0.15));  // 400 draws: ~5% error
  // A covariance that is not positive definite (constant draws) leaves L as it was.
  factor.fit(torch::ones({5, 3}, torch::kFloat64), "test");
  EXPECT_TRUE(torch::equal(factor.matrix().detach(), fitted));
  testing::expect_input_error(
      [&] {
        factor.fit(torch::ones({1, 3}, torch::kFloat64), "here");
      },
      "at least 2 chains", "here");
  EXPECT_TRUE(owner.named_parameters()["factor"].requires_grad());
  factor.freeze();
  EXPECT_FALSE(owner.named_parameters()["factor"].requires_grad());
  EXPECT_FALSE(factor.matrix().requires_grad());
}

TEST(LearnedFactorTest, OperationsFollowEveryChangeOfTheParameter) {
  // Without gradient recording the operations reuse L until P changes.
  torch::nn::Module owner;
  LearnedFactor factor(owner, 3);
  Rng rng(53);
  torch::NoGradGuard no_grad;
  const torch::Tensor v = rng.normal({2, 3});
  EXPECT_TRUE(torch::equal(factor.times(v), v.matmul(torch::eye(3, torch::kFloat64))));
  const torch::Tensor lower = testing::random_lower_factor(3, 0.5, rng);
  factor.set(lower, "test");
  EXPECT_TRUE(torch::allclose(factor.times(v), v.matmul(lower.t()), 1e-12, 1e-12));
  owner.named_parameters()["factor"].add_(0.01);  // as an optimizer step
  EXPECT_TRUE(torch::allclose(factor.times(v), v.matmul(factor.matrix().t()), 1e-12, 1e-12));
  EXPECT_FALSE(torch::allclose(factor.times(v), v.matmul(lower.t()), 1e-6, 1e-6));
  owner.named_parameters()["factor"].set_data(torch::zeros({3, 3}, torch::kFloat64));  // loading
  EXPECT_TRUE(torch::allclose(factor.times(v), v, 1e-15, 1e-15));
}

TEST(LearnedFactorTest, RefusesAFactorItCannotTake) {
  torch::nn::Module owner;
  LearnedFactor factor(owner, 2);
  testing::expect_input_error([&] { factor.set(torch::eye(3, torch::kFloat64), "here"); },
                              "must be 2 x 2", "here");
  testing::expect_input_error(
      [&] {
        factor.set(torch::diag(torch::tensor({1.0, -1.0}, torch::kFloat64)), "here");
      },
      "diagonal must be positive", "here");
  testing::expect_input_error(
      [] { LearnedFactor::identity(2).set(torch::eye(2, torch::kFloat64), "l2hmc:precondition"); },
      "no preconditioner", "l2hmc:precondition");
}

}  // namespace
}  // namespace ebmc
