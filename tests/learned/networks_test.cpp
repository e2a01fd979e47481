// The networks' raw-memory copies (`plain()`) compute what their tensor forms compute.

#include "ebmc/learned/networks.h"

#include <gtest/gtest.h>

#include "learned_test_support.h"

namespace ebmc {
namespace {

TEST(NetworksTest, PlainCopiesAgreeWithTheTensorNetworks) {
  Rng rng(8);
  const int64_t dim = 5, rows = 4;
  L2hmcNetwork l2hmc(dim, 7, rng);
  StepIndexedMlp mlp(2, 3 * dim, 9, 3 * dim, rng);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : l2hmc->parameters()) p.add_(0.3 * rng.normal(p.sizes()));
    for (auto& p : mlp->parameters()) p.add_(0.3 * rng.normal(p.sizes()));
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor a = rng.normal({rows, dim}), b = rng.normal({rows, dim});
  const torch::Tensor tau = torch::tensor({0.6, -0.8}, torch::kFloat64);
  const ScaleTranslation sqt = l2hmc->forward(a, b, tau);
  const torch::Tensor expected = torch::cat({sqt.scale, sqt.transform, sqt.translate}, 1);
  const L2hmcNetworkImpl::Plain plain = l2hmc->plain();
  std::vector<double> out(3 * dim), scratch(plain.scratch_size());
  for (int64_t r = 0; r < rows; ++r) {
    plain.forward(a[r].data_ptr<double>(), b[r].data_ptr<double>(), tau.data_ptr<double>(),
                  out.data(), scratch.data());
    EXPECT_TRUE(torch::allclose(torch::tensor(out, torch::kFloat64), expected[r], 1e-12, 1e-14));
  }
  const torch::Tensor input = rng.normal({rows, 3 * dim});
  const StepIndexedMlpImpl::Plain plain_mlp = mlp->plain();
  std::vector<double> mlp_scratch(plain_mlp.scratch_size());
  for (int64_t step = 0; step < 2; ++step) {
    const torch::Tensor reference = mlp->forward(step, input);
    for (int64_t r = 0; r < rows; ++r) {
      plain_mlp.forward(step, input[r].contiguous().data_ptr<double>(), out.data(),
                        mlp_scratch.data());
      EXPECT_TRUE(torch::allclose(torch::tensor(out, torch::kFloat64), reference[r], 1e-12, 1e-14));
    }
  }
}

}  // namespace
}  // namespace ebmc
