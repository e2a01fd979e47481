// PairwiseEnergy: f(x) = sᵀJs + bᵀs evaluated exactly (one value per energy level, whatever the
// order of the terms), exact flip changes, correct rounding, and the compensated fallback.

#include "ebmc/discrete/pairwise_energy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ebmc/discrete/ising.h"
#include "test_support.h"

namespace ebmc {
namespace {

class PairwiseEnergyTest : public testing::SeedingFixture {};

/// f by the tensor formula (what IsingModel computed before exact evaluation).
torch::Tensor tensor_log_prob(const Couplings& j, const torch::Tensor& bias,
                              const torch::Tensor& x) {
  const torch::Tensor s = 2.0 * x - 1.0;
  return (s * j.field(s)).sum(1) + (s * bias).sum(1);
}

TEST_F(PairwiseEnergyTest, LatticeEnergiesAreTheCorrectlyRoundedLevels) {
  // On a lattice with coupling θ and no bias, f = 2θ Σ_edges sᵢsⱼ: the exact value is the integer
  // 2m times the double θ, which one IEEE multiplication rounds correctly.
  const double theta = 0.3;
  const Couplings lattice = periodic_lattice(10, 10, theta);
  const PairwiseEnergy energy(lattice, torch::zeros({100}, torch::kFloat64));
  ASSERT_TRUE(energy.exact());
  Rng rng(4);
  const torch::Tensor x = (rng.uniform({400, 100}) < 0.5).to(torch::kFloat64);
  const torch::Tensor f = energy.log_prob(x);
  const torch::Tensor s = 2.0 * x - 1.0;
  // m = Σ over the lattice's edges (right and down neighbours) of sᵢsⱼ.
  const torch::Tensor grid = s.view({400, 10, 10});
  const torch::Tensor m =
      (grid * grid.roll(-1, 2)).sum({1, 2}) + (grid * grid.roll(-1, 1)).sum({1, 2});
  std::set<double> distinct, tensor_distinct;
  const torch::Tensor by_tensor = tensor_log_prob(lattice, torch::zeros({100}, torch::kFloat64), x);
  for (int64_t r = 0; r < 400; ++r) {
    const double expected = (2.0 * m[r].item<double>()) * theta;
    ASSERT_EQ(f[r].item<double>(), expected) << r;
    distinct.insert(f[r].item<double>());
    tensor_distinct.insert(by_tensor[r].item<double>());
    ASSERT_NEAR(by_tensor[r].item<double>(), expected, 1e-12);
  }
  // One value per level (m takes as many values as f does); the tensor sums split some levels.
  const torch::Tensor levels = std::get<0>(at::_unique(m));
  EXPECT_EQ(static_cast<int64_t>(distinct.size()), levels.numel());
  EXPECT_GE(tensor_distinct.size(), distinct.size());
}

TEST_F(PairwiseEnergyTest, RelabellingTheSitesKeepsEveryBit) {
  Rng rng(8);
  const IsingModel model = IsingModel::erdos_renyi(30, 5.0, rng);
  const torch::Tensor bias = 0.37 * rng.normal({30});
  const PairwiseEnergy energy(model.couplings(), bias);
  ASSERT_TRUE(energy.exact());
  const torch::Tensor perm = torch::randperm(30, torch::kInt64);
  const torch::Tensor j = model.couplings().dense();
  const PairwiseEnergy relabelled(
      Couplings::from_dense(j.index_select(0, perm).index_select(1, perm)),
      bias.index_select(0, perm));
  const torch::Tensor x = (rng.uniform({200, 30}) < 0.5).to(torch::kFloat64);
  const torch::Tensor f = energy.log_prob(x);
  EXPECT_TRUE(torch::equal(f, relabelled.log_prob(x.index_select(1, perm))));
  EXPECT_TRUE(torch::allclose(f, tensor_log_prob(model.couplings(), bias, x), 1e-12, 1e-12));
}

TEST_F(PairwiseEnergyTest, FlipChangesAreExact) {
  Rng rng(9);
  const Couplings couplings = periodic_lattice(6, 7, -0.7);
  const torch::Tensor bias = 0.1 * rng.normal({42});
  const PairwiseEnergy energy(couplings, bias);
  ASSERT_TRUE(energy.exact());
  torch::Tensor x = (rng.uniform({42}) < 0.5).to(torch::kFloat64).contiguous();
  double* row = x.data_ptr<double>();
  PairwiseEnergy::Sum f = energy.sum(row);
  for (int step = 0; step < 500; ++step) {
    const auto i = static_cast<int64_t>(rng.uniform({1}).item<double>() * 42) % 42;
    f += energy.flip_change(row, i);
    row[i] = 1.0 - row[i];
    ASSERT_TRUE(f == energy.sum(row)) << step;
    ASSERT_EQ(energy.value(f), energy.log_prob(row));
  }
}

TEST_F(PairwiseEnergyTest, RoundsToNearestWithTiesToEven) {
  // Integer weights and biases: 2^L = 1, so a sum is its own value.
  const Couplings none = Couplings::from_dense(torch::zeros({2, 2}, torch::kFloat64));
  const PairwiseEnergy energy(none, torch::ones({2}, torch::kFloat64));
  ASSERT_TRUE(energy.exact());
  const PairwiseEnergy::Sum two53 = PairwiseEnergy::Sum{1} << 53;
  EXPECT_EQ(energy.value(two53 + 1), 9007199254740992.0);  // tie: to the even 2^53
  EXPECT_EQ(energy.value(two53 + 3), 9007199254740996.0);  // tie: to the even 2^53 + 4
  EXPECT_EQ(energy.value(-(two53 + 5)), -9007199254740996.0);
  EXPECT_EQ(energy.value((PairwiseEnergy::Sum{1} << 80) + 1), std::ldexp(1.0, 80));
  EXPECT_EQ(energy.value(-7), -7.0);
  EXPECT_EQ(energy.value(0), 0.0);
}

TEST_F(PairwiseEnergyTest, WeightsTooFarApartFallBackToACompensatedSum) {
  torch::Tensor j = torch::zeros({3, 3}, torch::kFloat64);
  j[0][1] = j[1][0] = 1e-200;
  j[1][2] = j[2][1] = 1.0;
  const Couplings couplings = Couplings::from_dense(j);
  const torch::Tensor bias = torch::tensor({0.5, 0.0, 0.25}, torch::kFloat64);
  const PairwiseEnergy energy(couplings, bias);
  EXPECT_FALSE(energy.exact());
  const torch::Tensor x = torch::tensor({{1.0, 0.0, 1.0}, {1.0, 1.0, 1.0}}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(energy.log_prob(x), tensor_log_prob(couplings, bias, x), 0, 1e-15));
}

TEST_F(PairwiseEnergyTest, IsingModelsEvaluateExactly) {
  const IsingModel ising = IsingModel::lattice(10, 10, 0.3);
  Rng rng(2);
  const torch::Tensor x = ising.random_states(50, rng);
  EXPECT_TRUE(torch::equal(ising.log_prob(x), ising.pairwise_energy()->log_prob(x)));
  EXPECT_TRUE(torch::equal(ising.log_prob_and_grad(x).log_prob, ising.log_prob(x)));
  // A relaxed (non-binary) input is evaluated by the tensor formula, differentiably.
  const torch::Tensor half = torch::full({1, 100}, 0.5, torch::kFloat64);
  EXPECT_NEAR(ising.log_prob(half).item<double>(), 0.0, 1e-12);
}

}  // namespace
}  // namespace ebmc
