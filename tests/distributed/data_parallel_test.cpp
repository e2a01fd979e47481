// Data-parallel training: ranks (threads meeting through a FileStore on loopback) that share a
// batch end with the parameters of one process that trains on the whole batch.

#include "ebmc/distributed/data_parallel.h"

#include <gtest/gtest.h>

#include "ebmc/ebm/discrete_pcd.h"
#include "ebmc/ebm/ebm_trainer.h"
#include "ebmc/ebm/ula_ebm.h"
#include "ebmc/flows/flow_trainer.h"
#include "ebmc/learned/learned_registry.h"
#include "ebmc/learned/sampler_trainer.h"
#include "ebmc/targets/registry.h"
#include "ranks_test_support.h"

namespace ebmc {
namespace {

TEST(DataParallelTest, BatchSharesAreContiguousAndRefuseEmptyRanks) {
  EXPECT_EQ(batch_share(7, 0, 2).first, 0);
  EXPECT_EQ(batch_share(7, 0, 2).count, 3);
  EXPECT_EQ(batch_share(7, 1, 2).first, 3);
  EXPECT_EQ(batch_share(7, 1, 2).count, 4);
  testing::expect_input_error([] { batch_share(2, 0, 3); }, "cannot be shared by 3", "--batch");
}

/// `train(group)`'s result in one process (`world` = 0: no group) or on `world` ranks, where
/// every rank must end with the same bits; returns rank 0's.
torch::Tensor on_ranks(int world, const std::function<torch::Tensor(ProcessGroup*)>& train) {
  if (world == 0) return train(nullptr);
  std::vector<torch::Tensor> results(world);
  testing::run_ranks(world, 60,
                     [&](ProcessGroup& group) { results[group.rank()] = train(&group); });
  for (int r = 1; r < world; ++r) EXPECT_TRUE(torch::equal(results[0], results[r])) << r;
  return results[0];
}

FlowTrainerOptions options(const std::string& checkpoint = "") {
  return FlowTrainerOptions()
      .steps(6)
      .batch(7)
      .learning_rate(1e-2)
      .checkpoint_every(checkpoint.empty() ? 0 : 6)
      .checkpoint_path(checkpoint);
}

/// The flow's parameters after training on `target` (reverse KL) or `data` (forward KL) in
/// `world` ranks (`world` = 0: one process without a group).
torch::Tensor trained_parameters(int world, const Target& target, const torch::Tensor& data,
                                 const std::string& checkpoint = "") {
  return on_ranks(world, [&](ProcessGroup* group) {
    Rng rng(5);
    std::shared_ptr<Flow> flow = make_flow("realnvp:blocks=2,hidden=8", target.dim(), rng);
    std::unique_ptr<FlowTrainer> trainer =
        data.defined() ? std::make_unique<FlowTrainer>(flow, data, options(checkpoint), 9)
                       : std::make_unique<FlowTrainer>(flow, target, options(checkpoint), 9);
    if (group) trainer->set_data_parallel(*group);
    trainer->train();
    return testing::flat_parameters(*flow);
  });
}

TEST(DataParallelTest, TwoRanksOfReverseKlTrainingEqualOneProcessWithTheWholeBatch) {
  const std::unique_ptr<Target> target = make_target("gaussian:d=3");
  const torch::Tensor one = trained_parameters(0, *target, {});
  const torch::Tensor two = trained_parameters(2, *target, {});
  const torch::Tensor three = trained_parameters(3, *target, {});
  EXPECT_GT((one - trained_parameters(0, *make_target("gaussian:d=3,scale=2"), {}))
                .abs()
                .max()
                .item<double>(),
            1e-6)
      << "the comparison must be able to fail";
  EXPECT_LT((one - two).abs().max().item<double>(), 1e-10);
  EXPECT_LT((one - three).abs().max().item<double>(), 1e-10);
}

TEST(DataParallelTest, TwoRanksOfMaximumLikelihoodTrainingEqualOneProcess) {
  const std::unique_ptr<Target> target = make_target("gaussian:d=2");
  const torch::Tensor data = torch::randn({40, 2}, torch::kFloat64) * 1.5 + 0.3;
  const torch::Tensor one = trained_parameters(0, *target, data);
  const torch::Tensor two = trained_parameters(2, *target, data);
  EXPECT_LT((one - two).abs().max().item<double>(), 1e-10);
}

TEST(DataParallelTest, ACheckpointOfTwoRanksIsNotResumedByOneProcess) {
  testing::TempDir dir;
  const std::unique_ptr<Target> target = make_target("gaussian:d=2");
  trained_parameters(2, *target, {}, dir.file("ckpt"));
  Rng rng(5);
  std::shared_ptr<Flow> flow = make_flow("realnvp:blocks=2,hidden=8", 2, rng);
  FlowTrainer trainer(flow, *target, options(), 9);
  testing::expect_input_error([&] { trainer.resume(dir.file("ckpt")); },
                              "written by a job of 2 processes, this one has 1", dir.file("ckpt"));
}

/// A learned kernel's parameters and training chains after 6 iterations on `target_spec` with a
/// batch of 7 chains in `world` ranks; `checkpoint` (if given) receives the final checkpoint.
torch::Tensor trained_sampler(int world, const std::string& sampler,
                              const std::string& target_spec = "icg:d=3",
                              const std::string& checkpoint = "") {
  const std::unique_ptr<Target> target = make_target(target_spec);
  return on_ranks(world, [&](ProcessGroup* group) {
    Rng rng(5);
    std::shared_ptr<LearnedKernel> kernel = make_learned_kernel(sampler, target->dim(), rng);
    SamplerTrainer trainer(kernel, *target,
                           TrainerOptions()
                               .steps(6)
                               .batch(7)
                               .learning_rate(1e-2)
                               .anneal_from(2)
                               .checkpoint_every(checkpoint.empty() ? 0 : 6)
                               .checkpoint_path(checkpoint),
                           9);
    if (group) trainer.set_data_parallel(*group);
    trainer.train();
    return torch::cat({testing::flat_parameters(*kernel), trainer.chains().reshape(-1)});
  });
}

// Every random draw, batch statistic and chain of the trainers' losses goes through the share:
// L2HMC with both jump measures, the burn-in term and HMC steps; the entropy sampler's β tracks
// the whole batch's acceptance.
class DataParallelSamplerTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DataParallelSamplerTest, RanksSharingTheBatchEqualOneProcessWithTheWholeBatch) {
  const torch::Tensor one = trained_sampler(0, GetParam());
  EXPECT_GT(
      (one - trained_sampler(0, GetParam(), "gaussian:d=3,scale=2")).abs().max().item<double>(),
      1e-6)
      << "the comparison must be able to fail";
  EXPECT_LT((one - trained_sampler(2, GetParam())).abs().max().item<double>(), 1e-10);
  EXPECT_LT((one - trained_sampler(3, GetParam())).abs().max().item<double>(), 1e-10);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, DataParallelSamplerTest,
    ::testing::Values("l2hmc:leapfrog=2,hidden=6,jump=both,burn_in=0.5,hmc_steps=2",
                      "entropy:width=6,steps=1"));

TEST(DataParallelTest, ASamplerCheckpointOfTwoRanksIsNotResumedByThree) {
  testing::TempDir dir;
  trained_sampler(2, "entropy:width=6,steps=1", "icg:d=3", dir.file("ckpt"));
  const std::string message = "written by a job of 2 processes, this one has 3";
  testing::run_ranks(3, 60, [&](ProcessGroup& group) {
    const std::unique_ptr<Target> target = make_target("icg:d=3");
    Rng rng(5);
    SamplerTrainer trainer(make_learned_kernel("entropy:width=6,steps=1", 3, rng), *target,
                           TrainerOptions().steps(6).batch(7), 9);
    trainer.set_data_parallel(group);
    testing::expect_input_error([&] { trainer.resume(dir.file("ckpt")); }, message,
                                dir.file("ckpt"));
  });
}

/// An EBM's parameters (and the method's) and persistent chains after 6 iterations with a batch
/// of 8 rows and 4 negative chains of 11, in `world` ranks. Powers of two: the output bias's
/// gradient is 0 at the start (zero energies), and Adam's first step turns the rounding of a
/// mean of 1/7s (1e-16) into a parameter change of 1e-10; means of 1/8s and 1/4s are exact.
struct EbmCase {
  std::string method, model;
  double tilt;  ///< σ of the tilt (0: none)
  bool learn_tilt;
};

torch::Tensor trained_ebm(int world, const EbmCase& c, double data_scale = 1.0) {
  torch::manual_seed(3);
  const torch::Tensor data = torch::randn({40, 2}, torch::kFloat64) * data_scale + 0.2;
  return on_ranks(world, [&](ProcessGroup* group) {
    Rng rng(5);
    std::shared_ptr<EnergyModel> model = make_energy_model(c.model, 2, c.tilt, c.learn_tilt, rng);
    std::shared_ptr<EbmMethod> ebm_method = make_ebm_method(c.method);
    EbmTrainer trainer(model, ebm_method, data,
                       EbmTrainerOptions()
                           .steps(6)
                           .batch(8)
                           .negative_chains(4)
                           .persistent(11)
                           .learning_rate(1e-2)
                           .l2(0.1),
                       9);
    if (group) trainer.set_data_parallel(*group);
    trainer.train();
    std::vector<torch::Tensor> flat = {testing::flat_parameters(*model),
                                       trainer.chains().reshape(-1)};
    for (const torch::Tensor& p : ebm_method->trainable_parameters()) {
      flat.push_back(p.detach().reshape(-1));
    }
    return torch::cat(flat);
  });
}

// Persistent ULA chains (the slots of an iteration split by rank, the Langevin noise through the
// share), the l2 penalty and a learned tilt; the sample-free objectives' positives, projections
// (ssm), noise rows (nce) and log Z (ml).
class DataParallelEbmTest : public ::testing::TestWithParam<EbmCase> {};

TEST_P(DataParallelEbmTest, RanksSharingTheBatchEqualOneProcessWithTheWholeBatch) {
  const torch::Tensor one = trained_ebm(0, GetParam());
  EXPECT_GT((one - trained_ebm(0, GetParam(), 2.0)).abs().max().item<double>(), 1e-6)
      << "the comparison must be able to fail";
  {
    const torch::Tensor two = trained_ebm(2, GetParam()), three = trained_ebm(3, GetParam());
    const torch::Tensor d = (one - two).abs();
    const int64_t i = d.argmax().item<int64_t>();
    std::cerr << "DEBUG size " << one.numel() << " argmax " << i << " one " << one[i].item<double>()
              << " two " << two[i].item<double>() << " three " << three[i].item<double>() << " 2v3 "
              << (two - three).abs().max().item<double>() << " count>1e-12 "
              << (d > 1e-12).sum().item<int64_t>() << "\n";
  }
  EXPECT_LT((one - trained_ebm(2, GetParam())).abs().max().item<double>(), 1e-10);
  EXPECT_LT((one - trained_ebm(3, GetParam())).abs().max().item<double>(), 1e-10);
}

INSTANTIATE_TEST_SUITE_P(
    Methods, DataParallelEbmTest,
    ::testing::Values(
        EbmCase{"ula:steps=3", "mlp:width=8,depth=2", 1.5, true},
        EbmCase{"flowmc:blocks=2,hidden=4,particles=3,first_local=1,cycles=2,"
                "negatives=all",
                "mlp:width=8,depth=2", 1.5, false},
        EbmCase{"flowmc:global=imh,blocks=2,hidden=4", "mlp:width=8,depth=2", 1.5, false},
        EbmCase{"ntebm:blocks=2,hidden=4,steps=2,flow_fit=data", "mlp:width=8,depth=2", 1.5, false},
        EbmCase{"coopflow:blocks=2,hidden=4,pretrain=2,noise=1", "mlp:width=8,depth=2", 1.5, false},
        EbmCase{"ssm", "mlp:width=8,depth=2", 1.5, false},
        EbmCase{"lsd:hidden=8,critic_steps=2,dropout=0.2", "mlp:width=8,depth=2", 1.5, true},
        EbmCase{"nce:noise_ratio=1.5", "mlp:width=8,depth=2", 0.0, false},
        EbmCase{"ml", "ica", 0.0, false}));

/// A method that does not declare itself data-parallel (every registered one does today).
class OneProcessMethod : public UlaEbm {
 public:
  OneProcessMethod() : UlaEbm(UlaEbmOptions()) {}
  std::string name() const override { return "one_process"; }
  bool data_parallel() const override { return false; }
};

TEST(DataParallelTest, EbmMethodsThatCannotShareABatchAreRefused) {
  testing::run_ranks(2, 60, [&](ProcessGroup& group) {
    Rng rng(5);
    EbmTrainer trainer(make_energy_model("mlp:width=8,depth=2", 2, 1.0, false, rng),
                       std::make_shared<OneProcessMethod>(), torch::randn({20, 2}, torch::kFloat64),
                       EbmTrainerOptions().steps(2).batch(8).persistent(8), 9);
    testing::expect_input_error([&] { trainer.set_data_parallel(group); },
                                "one_process does not train data-parallel", "--method");
  });
}

/// A learned Ising model's couplings and field, EMA weights and replay buffer after 6 PCD
/// iterations with `sampler` (batch 8 of 12 buffered chains, a quarter restarted, ℓ1) in `world`
/// ranks.
torch::Tensor trained_ising(int world, const std::string& sampler, double data_density = 0.5) {
  Rng data_rng(3);
  const torch::Tensor data = (data_rng.uniform({40, 6}) < data_density).to(torch::kFloat64);
  return on_ranks(world, [&](ProcessGroup* group) {
    auto model = std::make_shared<LearnedIsing>(6);
    DiscretePcdOptions options;
    options.sampler = sampler;
    options.sampler_steps = 2;
    options.steps = 6;
    options.batch = 8;
    options.buffer = 12;
    options.reinit = 0.25;
    options.learning_rate = 0.05;
    options.l1 = 0.01;
    options.ema = 0.5;
    model->initialize_from_data(data);
    DiscretePcdTrainer trainer(model, data, options, 9);
    if (group) trainer.set_data_parallel(*group);
    trainer.train();
    const torch::Tensor raw = testing::flat_parameters(*model);
    trainer.use_ema_weights();
    return torch::cat({raw, testing::flat_parameters(*model), trainer.chains().reshape(-1)});
  });
}

class DataParallelPcdTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DataParallelPcdTest, RanksSharingTheChainsEqualOneProcessWithTheWholeBatch) {
  const torch::Tensor one = trained_ising(0, GetParam());
  EXPECT_GT((one - trained_ising(0, GetParam(), 0.3)).abs().max().item<double>(), 1e-6)
      << "the comparison must be able to fail";
  EXPECT_LT((one - trained_ising(2, GetParam())).abs().max().item<double>(), 1e-10);
  EXPECT_LT((one - trained_ising(3, GetParam())).abs().max().item<double>(), 1e-10);
}

INSTANTIATE_TEST_SUITE_P(Samplers, DataParallelPcdTest,
                         ::testing::Values("gwg:flips=2", "gibbs", "gibbs:block=2,sweep=1",
                                           "hb:block=3"));

}  // namespace
}  // namespace ebmc
