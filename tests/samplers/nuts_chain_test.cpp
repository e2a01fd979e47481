// Per-chain NUTS trees (NutsChainTree over a target's fused path) give the lockstep batched
// trees' draws bit for bit, whatever the number of threads or of chains beside a chain.

#include "ebmc/samplers/nuts_chain.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ebmc/samplers/nuts.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// Everything a run of NUTS transitions produced, transition by transition.
struct Trace {
  std::vector<torch::Tensor> x, energy, grad, depth, n_leapfrog, accept, hamiltonian;
};

/// `transitions` NUTS transitions of chains `first` … `first + x0.size(0) − 1` from `x0` with
/// per-chain step sizes and a per-chain metric, no adaptation.
Trace run_nuts(const Target& target, const torch::Tensor& x0, const Tuning& tuning, bool batched,
               uint64_t first, int64_t transitions) {
  Nuts nuts(NutsOptions().batch_trees(batched).max_depth(8));
  State state = nuts.init(target, x0);
  nuts.set_tuning(tuning);
  Rng rng(7, ChainStreams{first, x0.size(0)});
  Trace trace;
  for (int64_t t = 0; t < transitions; ++t) {
    rng.next_transition();
    const Info info = nuts.step(state, rng);
    trace.x.push_back(state.x);
    trace.energy.push_back(state.energy);
    trace.grad.push_back(state.grad);
    trace.depth.push_back(nuts.last_tree_depth());
    trace.accept.push_back(info.accept_prob);
    for (const auto& [name, values] : info.stats) {
      if (name == "n_leapfrog__") trace.n_leapfrog.push_back(values);
      if (name == "energy__") trace.hamiltonian.push_back(values);
    }
  }
  return trace;
}

Tuning random_tuning(int64_t chains, int64_t dim, double step) {
  return {step * (0.5 + torch::rand({chains}, torch::kFloat64)),
          0.5 + torch::rand({chains, dim}, torch::kFloat64)};
}

void expect_same(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b,
                 const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t t = 0; t < a.size(); ++t) {
    EXPECT_TRUE(torch::equal(a[t], b[t])) << what << " differs at transition " << t;
  }
}

class NutsChainTreeTest : public testing::SeedingFixture {};

TEST_F(NutsChainTreeTest, PerChainTreesGiveTheLockstepDrawsBitForBit) {
  for (const auto& [spec, step] :
       std::vector<std::pair<std::string, double>>{{"funnel:d=10,sigma=3", 0.2},
                                                   {"icg", 0.05},
                                                   {"scg", 0.1},
                                                   {"rotated_icg:d=20", 0.05},
                                                   {"rough_well:d=4,eta=0.5", 0.2},
                                                   {"banana", 0.1}}) {
    SCOPED_TRACE(spec);
    const std::unique_ptr<Target> target = make_target(spec);
    const int64_t chains = 5, d = target->dim();
    const torch::Tensor x0 = 0.5 * torch::randn({chains, d}, torch::kFloat64);
    const Tuning tuning = random_tuning(chains, d, step);
    const Trace per_chain = run_nuts(*target, x0, tuning, false, 0, 40);
    const Trace lockstep = run_nuts(*target, x0, tuning, true, 0, 40);
    expect_same(per_chain.x, lockstep.x, "x");
    expect_same(per_chain.energy, lockstep.energy, "energy");
    expect_same(per_chain.grad, lockstep.grad, "grad");
    expect_same(per_chain.depth, lockstep.depth, "tree depth");
    expect_same(per_chain.n_leapfrog, lockstep.n_leapfrog, "n_leapfrog__");
    expect_same(per_chain.accept, lockstep.accept, "accept_stat__");
    expect_same(per_chain.hamiltonian, lockstep.hamiltonian, "energy__");
    // The chains went different depths (so the lockstep trees did wait for the deepest).
    const torch::Tensor depths = torch::stack(per_chain.depth);
    EXPECT_GT((std::get<0>(depths.max(1)) - std::get<0>(depths.min(1))).max().item<int64_t>(), 0);
    EXPECT_GT(depths.sum().item<int64_t>(), 0);
  }
}

TEST_F(NutsChainTreeTest, DrawsDependOnNeitherThreadsNorNeighbouringChains) {
  const std::unique_ptr<Target> target = make_target("funnel:d=10,sigma=3");
  const int64_t chains = 6, d = target->dim();
  const torch::Tensor x0 = 0.5 * torch::randn({chains, d}, torch::kFloat64);
  const Tuning tuning = random_tuning(chains, d, 0.2);
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const Trace one_thread = run_nuts(*target, x0, tuning, false, 0, 30);
  at::set_num_threads(3);
  const Trace three_threads = run_nuts(*target, x0, tuning, false, 0, 30);
  at::set_num_threads(threads);
  expect_same(one_thread.x, three_threads.x, "x");
  // Chains 2 and 3 run alone (global indices 2, 3) draw what they drew among six.
  const Tuning pair{tuning.step_size.narrow(0, 2, 2), tuning.inverse_metric.narrow(0, 2, 2)};
  const Trace alone = run_nuts(*target, x0.narrow(0, 2, 2), pair, false, 2, 30);
  for (size_t t = 0; t < alone.x.size(); ++t) {
    EXPECT_TRUE(torch::equal(alone.x[t], one_thread.x[t].narrow(0, 2, 2))) << t;
  }
}

// Direct use: one chain's transition from a state, with the stream of chain 0.
TEST_F(NutsChainTreeTest, OneTransitionReportsItsTree) {
  const std::unique_ptr<Target> target = make_target("icg:d=4");
  NutsChainTree tree(*target, 10, 1000.0);
  std::vector<double> x = {0.1, -0.2, 0.3, 0.05}, grad(4), inverse(4, 1.0);
  double energy = target->row_energy(x.data(), grad.data());
  Rng rng(3, ChainStreams{0, 1});
  rng.next_transition();
  ChainStream stream = rng.chain_stream(0);
  const std::vector<double> before = x;
  const NutsChainResult r =
      tree.transition(x.data(), &energy, grad.data(), inverse.data(), 0.05, stream);
  EXPECT_GE(r.depth, 1);
  EXPECT_GE(r.n_leapfrog, (int64_t{1} << (r.depth - 1)));
  EXPECT_LE(r.n_leapfrog, (int64_t{1} << r.depth) - 1 + (int64_t{1} << r.depth));
  EXPECT_GT(r.accept_prob, 0.5);
  EXPECT_FALSE(r.divergent);
  EXPECT_EQ(r.moved, x != before);
  std::vector<double> check(4);
  EXPECT_DOUBLE_EQ(energy, target->row_energy(x.data(), check.data()));
  EXPECT_EQ(check, grad);
}

// The kernel reuses its statistics' storage between transitions only while nothing else holds
// it: an Info kept by the caller is never overwritten.
TEST_F(NutsChainTreeTest, StatisticsAreReusedOnlyWhenUnshared) {
  const std::unique_ptr<Target> target = make_target("funnel:d=10,sigma=3");
  Nuts nuts(NutsOptions().max_depth(6));
  State state = nuts.init(*target, 0.3 * torch::randn({3, target->dim()}, torch::kFloat64));
  Rng rng(2, ChainStreams{0, 3});
  rng.next_transition();
  Info kept = nuts.step(state, rng);
  const torch::Tensor depth_then = kept.stat("treedepth__").clone();
  const torch::Tensor energy_then = kept.stat("energy__").clone();
  const torch::Tensor accept_then = kept.accept_prob.clone();
  for (int t = 0; t < 5; ++t) {
    rng.next_transition();
    nuts.step(state, rng);
  }
  EXPECT_TRUE(torch::equal(kept.stat("treedepth__"), depth_then));
  EXPECT_TRUE(torch::equal(kept.stat("energy__"), energy_then));
  EXPECT_TRUE(torch::equal(kept.accept_prob, accept_then));
  // Unshared, the same storage serves the next transition.
  const void* storage = nullptr;
  {
    rng.next_transition();
    const Info once = nuts.step(state, rng);
    storage = once.stat("n_leapfrog__").data_ptr();
  }
  rng.next_transition();
  const Info next = nuts.step(state, rng);
  EXPECT_EQ(next.stat("n_leapfrog__").data_ptr(), storage);
}

}  // namespace
}  // namespace ebmc
