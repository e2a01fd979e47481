// Discrete models: gradients of f on the relaxed input against finite differences, exact local
// and site differences against re-evaluation of f, state checks, the RBM file format and the
// registry's errors.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "ebmc/core/errors.h"
#include "ebmc/discrete/dense_potts.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/fhmm.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/discrete/potts.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/discrete/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Small instances of every model, with random biases so that no symmetry hides a mistake.
std::vector<std::shared_ptr<DiscreteTarget>> small_models() {
  Rng rng(3);
  std::vector<std::shared_ptr<DiscreteTarget>> models;
  models.push_back(
      std::make_shared<IsingModel>(periodic_lattice(3, 3, 0.3), rng.normal({9}), "ising"));
  models.push_back(std::make_shared<IsingModel>(IsingModel::erdos_renyi(12, 4.0, rng)));
  models.push_back(
      std::make_shared<PottsModel>(periodic_lattice(2, 3, 0.4), rng.normal({6, 3}), "potts"));
  models.push_back(std::make_shared<Rbm>(Rbm::random(8, 4, rng)));
  models.push_back(std::make_shared<Fhmm>(Fhmm::random(4, 2, rng)));
  models.push_back(std::make_shared<DensePottsModel>(
      planted_potts(PottsPlantedOptions().n(5).k(3).degree(3).seed(4))));
  return models;
}

class DiscreteModelsTest : public testing::SeedingFixture {};

TEST_F(DiscreteModelsTest, GradientMatchesFiniteDifferencesOnTheRelaxedInput) {
  for (const auto& model : small_models()) {
    Rng rng(5);
    const torch::Tensor x = rng.uniform(model->state_shape(3));
    const torch::Tensor grad = model->log_prob_and_grad(x).grad;
    const torch::Tensor flat = x.reshape({3, -1});
    const double h = 1e-6;
    for (int64_t j = 0; j < flat.size(1); ++j) {
      torch::Tensor plus = flat.clone(), minus = flat.clone();
      plus.select(1, j) += h;
      minus.select(1, j) -= h;
      const torch::Tensor fd =
          (model->log_prob(plus.view(x.sizes())) - model->log_prob(minus.view(x.sizes()))) /
          (2 * h);
      EXPECT_TRUE(torch::allclose(fd, grad.reshape({3, -1}).select(1, j), 1e-6, 1e-6))
          << model->name() << " coordinate " << j;
    }
  }
}

TEST_F(DiscreteModelsTest, LocalAndSiteDifferencesMatchReevaluation) {
  for (const auto& model : small_models()) {
    Rng rng(6);
    const torch::Tensor x = model->random_states(4, rng);
    const torch::Tensor f = model->log_prob(x);
    const torch::Tensor d = model->local_differences(x);
    for (int64_t m = 0; m < model->num_moves(); ++m) {
      const torch::Tensor moved = apply_moves(*model, x, torch::full({4}, m, torch::kInt64));
      EXPECT_TRUE(torch::allclose(d.select(1, m), model->log_prob(moved) - f, 1e-10, 1e-10))
          << model->name() << " move " << m;
    }
    const torch::Tensor sites =
        torch::tensor({int64_t{0}, int64_t{1}, model->num_sites() - 1, int64_t{2}}, torch::kInt64);
    const torch::Tensor site = model->site_differences(x, sites);
    const int64_t width = model->categorical() ? model->num_values() : 1;
    for (int64_t c = 0; c < 4; ++c) {
      for (int64_t v = 0; v < width; ++v) {
        const int64_t move = sites[c].item<int64_t>() * width + v;
        EXPECT_NEAR(site[c][v].item<double>(), d[c][move].item<double>(), 1e-10)
            << model->name() << " chain " << c;
      }
    }
  }
}

TEST_F(DiscreteModelsTest, GradientEstimateIsExactForIsingAndPotts) {
  // f is linear in each site (no self-coupling), so the first-order estimate of eqs. 3/4 is exact:
  // GWG's proposal coincides with the locally-balanced one on these models.
  for (const auto& model : small_models()) {
    if (model->name() != "ising" && model->name() != "potts" && model->name() != "potts_planted") {
      continue;
    }
    Rng rng(7);
    const torch::Tensor x = model->random_states(5, rng);
    const torch::Tensor estimate =
        linearized_differences(*model, x, model->log_prob_and_grad(x).grad);
    EXPECT_TRUE(torch::allclose(estimate, model->local_differences(x), 1e-10, 1e-10))
        << model->name();
  }
}

TEST_F(DiscreteModelsTest, EnumerationIsConsistent) {
  PottsModel potts(periodic_lattice(2, 3, 0.4), torch::zeros({6, 3}), "potts");
  const torch::Tensor states = all_states(potts);
  EXPECT_EQ(states.sizes(), (std::vector<int64_t>{729, 6, 3}));
  EXPECT_TRUE(torch::equal(state_indices(potts, states), torch::arange(729, torch::kInt64)));
  EXPECT_NEAR(exact_probabilities(potts).sum().item<double>(), 1.0, 1e-12);
  // A 2×3 periodic lattice has 3 horizontal and 3 vertical distinct edges.
  EXPECT_DOUBLE_EQ(periodic_lattice(2, 3, 1.0).dense().sum().item<double>(), 2.0 * 9);
}

TEST_F(DiscreteModelsTest, MalformedStatesAreRejected) {
  IsingModel ising = IsingModel::lattice(3, 3, 0.1);
  PottsModel potts = PottsModel::lattice(2, 3, 3, 0.1);
  testing::expect_input_error(
      [&] {
        ising.check_states(torch::zeros({2, 8}));
      },
      "state must have shape [chains, 9]", "ising");
  testing::expect_input_error(
      [&] {
        ising.check_states(torch::full({2, 9}, 0.5));
      },
      "values in {0, 1}", "ising");
  testing::expect_input_error(
      [&] {
        potts.check_states(torch::zeros({2, 6, 3}));
      },
      "one-hot", "potts");
  testing::expect_input_error(
      [&] {
        ising.log_prob(torch::zeros({2, 9}, torch::kInt64));
      },
      "floating-point", "ising");
}

TEST_F(DiscreteModelsTest, RbmFileRoundTripAndErrors) {
  testing::TempDir dir;
  Rng rng(8);
  Rbm rbm = Rbm::random(5, 3, rng);
  rbm.save(dir.file("rbm.json"));
  Rbm loaded = Rbm::load(dir.file("rbm.json"));
  const torch::Tensor x = rbm.random_states(4, rng);
  EXPECT_TRUE(torch::allclose(rbm.log_prob(x), loaded.log_prob(x), 0, 1e-14));
  const std::string ragged = dir.write("ragged.json", R"({"W": [[1, 2], [3]], "b": [0, 0],
      "c": [0, 0]})");
  testing::expect_input_error([&] { Rbm::load(ragged); }, "row 2 of \"W\" has 1 entries", ragged);
  const std::string shapes = dir.write("shapes.json", R"({"W": [[1, 2]], "b": [0], "c": [0]})");
  testing::expect_input_error([&] { Rbm::load(shapes); }, "visible bias", shapes);
  const std::string broken = dir.write("broken.json", "{\"W\": [[1, 2]");
  testing::expect_input_error([&] { Rbm::load(broken); }, "malformed JSON", broken);
  testing::expect_input_error([&] { Rbm::load(dir.file("missing.json")); }, "cannot open",
                              dir.file("missing.json"));
}

TEST_F(DiscreteModelsTest, RegistryBuildsModelsAndRejectsBadSpecs) {
  EXPECT_EQ(make_discrete_target("ising:n=4,theta=0.5")->num_sites(), 16);
  EXPECT_EQ(make_discrete_target("potts:n=3,k=4")->num_values(), 4);
  EXPECT_EQ(make_discrete_target("rbm:visible=7,hidden=2")->num_sites(), 7);
  EXPECT_EQ(make_discrete_target("fhmm:length=5,factors=3")->num_sites(), 15);
  EXPECT_EQ(make_discrete_target("ising_er:n=20")->num_sites(), 20);
  EXPECT_EQ(make_discrete_target("potts_planted:n=7,k=5")->num_values(), 5);
  EXPECT_TRUE(!is_registered_discrete_target("gwg") && is_registered_discrete_target("ising:n=3"));
  for (const char* spec : {"ising:n=0", "ising:colour=1", "potts:k=1", "bogus", "fhmm:length=0",
                           "potts_planted:k=1", "potts_planted:degree=0"}) {
    EXPECT_THROW(make_discrete_target(spec), InputError) << spec;
  }
}

TEST_F(DiscreteModelsTest, DensePottsWithDiagonalBlocksIsTheLatticePottsModel) {
  // J_ij = θ I_K on the lattice's edges is "+θ per agreeing pair".
  const PottsModel lattice = PottsModel::lattice(2, 3, 3, 0.7);
  const torch::Tensor adjacency = periodic_lattice(2, 3, 1.0).dense();
  const torch::Tensor blocks =
      0.7 * adjacency.view({6, 1, 6, 1}) * torch::eye(3, torch::kFloat64).view({1, 3, 1, 3});
  const DensePottsModel dense(blocks, torch::zeros({6, 3}), "dense");
  const torch::Tensor states = all_states(lattice);
  EXPECT_TRUE(torch::allclose(dense.log_prob(states), lattice.log_prob(states), 0, 1e-12));
  // Its contact strengths in the zero-sum gauge: θ‖I − 11ᵀ/K‖_F = θ√(K − 1) on the edges.
  EXPECT_TRUE(torch::allclose(potts_interaction_strengths(dense.couplings()),
                              adjacency * 0.7 * std::sqrt(2.0), 0, 1e-12));
  // Targets that know their interactions say so (the truth of structure learning).
  EXPECT_TRUE(
      torch::equal(dense.interaction_strengths(), potts_interaction_strengths(dense.couplings())));
  const IsingModel ising = IsingModel::lattice(2, 3, 0.4);
  EXPECT_TRUE(torch::equal(ising.interaction_strengths(), ising.couplings().dense()));
  EXPECT_FALSE(lattice.interaction_strengths().defined());
  // A gauge change: J_01[a, ·] += c_a (and J_10[·, a] with it) adds c_{x_0} to f — a field on
  // site 0 — and leaves the strengths alone.
  const torch::Tensor c = torch::tensor({0.3, -1.2, 2.0}, torch::kFloat64);
  torch::Tensor shifted = blocks.clone();
  shifted.select(0, 0).select(1, 1).add_(c.view({3, 1}));
  shifted.select(0, 1).select(1, 0).add_(c.view({1, 3}));
  torch::Tensor fields = torch::zeros({6, 3}, torch::kFloat64);
  fields[0] = c;
  const DensePottsModel gauged(shifted, torch::zeros({6, 3}), "gauged");
  const DensePottsModel with_field(blocks, fields, "field");
  EXPECT_TRUE(torch::allclose(gauged.log_prob(states), with_field.log_prob(states), 0, 1e-12));
  EXPECT_TRUE(torch::allclose(potts_interaction_strengths(shifted),
                              potts_interaction_strengths(blocks), 0, 1e-12));
}

TEST_F(DiscreteModelsTest, DensePottsRejectsInconsistentCouplings) {
  Rng rng(5);
  const torch::Tensor asymmetric = rng.normal({3, 2, 3, 2});
  testing::expect_input_error(
      [&] {
        DensePottsModel(asymmetric, torch::zeros({3, 2}), "p");
      },
      "J_ij = J_ji", "p");
  torch::Tensor self = torch::zeros({3, 2, 3, 2}, torch::kFloat64);
  self[1][0][1][1] = self[1][1][1][0] = 1.0;
  testing::expect_input_error(
      [&] {
        DensePottsModel(self, torch::zeros({3, 2}), "p");
      },
      "itself", "p");
  testing::expect_input_error(
      [&] {
        DensePottsModel(torch::zeros({3, 2, 3, 2}), torch::zeros({4, 2}), "p");
      },
      "[sites, K, sites, K]", "p");
}

}  // namespace
}  // namespace ebmc
