// PCD for discrete EBMs: the learned Ising model's energy and loss gradient in closed form, and
// structure learning that recovers a small lattice's couplings from exact samples.

#include "ebmc/ebm/discrete_pcd.h"

#include <gtest/gtest.h>

#include "ebmc/core/spec.h"
#include "ebmc/discrete/enumeration.h"
#include "ebmc/discrete/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(DiscretePcdTest, LearnedIsingIsAnIsingModelAndItsLossGradientIsClosedForm) {
  LearnedIsing model(5);
  Rng rng(1);
  {
    torch::NoGradGuard no_grad;
    model.parameters()[0].copy_(rng.normal({5, 5}));
    model.parameters()[1].copy_(rng.normal({5}));
  }
  const torch::Tensor j = model.couplings().detach();
  EXPECT_TRUE(torch::equal(j, j.t()));
  EXPECT_EQ(j.diagonal().abs().sum().item<double>(), 0.0);
  // The snapshot is the same distribution as an IsingModel.
  const std::unique_ptr<DiscreteTarget> snapshot = model.snapshot();
  const torch::Tensor x = (rng.uniform({20, 5}) < 0.5).to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(snapshot->log_prob(x), model.log_prob(x).detach(), 0, 1e-12));
  // ∂/∂b of mean f(neg) − mean f(pos) = mean s(neg) − mean s(pos); ∂/∂W_ij (i < j) the same
  // for 2 s_i s_j; the ℓ1 term adds λ sign(J_ij).
  const torch::Tensor pos = x.narrow(0, 0, 12), neg = x.narrow(0, 12, 8);
  pcd_loss(model, pos, neg, 0.1).backward();
  const torch::Tensor sp = 2 * pos - 1, sn = 2 * neg - 1;
  EXPECT_TRUE(torch::allclose(model.parameters()[1].grad(), sn.mean(0) - sp.mean(0), 0, 1e-12));
  const torch::Tensor pair = 2 * (sn.t().matmul(sn) / 8 - sp.t().matmul(sp) / 12);
  const torch::Tensor expected = torch::triu(pair + 0.1 * torch::sign(j), 1);
  EXPECT_TRUE(torch::allclose(model.parameters()[0].grad(), expected, 0, 1e-12));
}

TEST(DiscretePcdStatistical, RecoversTheCouplingsOfASmallLattice) {
  // 3×3 periodic lattice, θ = 0.2: 4000 exact draws by enumeration, PCD with Gibbs and GWG.
  const IsingModel truth = IsingModel::lattice(3, 3, 0.2);
  const torch::Tensor states = all_states(truth);
  Rng rng(2);
  const torch::Tensor rows =
      torch::multinomial(exact_probabilities(truth), 4000, true, rng.generator());
  const torch::Tensor data = states.index_select(0, rows);
  for (const std::string sampler : {"gibbs", "gwg"}) {
    SCOPED_TRACE(sampler);
    auto model = std::make_shared<LearnedIsing>(9);
    DiscretePcdOptions options;
    options.steps = 1000;
    options.batch = 256;
    options.sampler_steps = 5;
    options.sampler = sampler;
    options.learning_rate = 0.01;
    options.l1 = 0.0;
    DiscretePcdTrainer trainer(model, data, options, 3);
    trainer.set_true_couplings(truth.couplings().dense());
    const double before = trainer.couplings_rmse();
    trainer.train();
    // The MLE's error with 4000 rows is ≈ 0.02; Adam's last steps add a little.
    EXPECT_LT(trainer.couplings_rmse(), 0.05) << "before " << before;
    std::printf("%s: RMSE %.4f\n", sampler.c_str(), trainer.couplings_rmse());
    EXPECT_NEAR(before, std::sqrt(18 * 0.04 / 36.0), 1e-12);
  }
}

TEST(DiscretePcdTest, ResumingFromACheckpointIsBitExact) {
  testing::TempDir dir;
  const std::string checkpoint = dir.file("model.pt.ckpt");
  Rng rng(4);
  const torch::Tensor data = (rng.uniform({200, 6}) < 0.3).to(torch::kFloat64);
  DiscretePcdOptions options;
  options.steps = 6;
  options.batch = 16;
  options.sampler_steps = 2;
  options.learning_rate = 0.05;
  options.checkpoint_every = 4;
  options.checkpoint_path = checkpoint;
  // Everything a checkpoint must carry: a replay buffer with restarts, EMA weights, warm-up.
  options.buffer = 40;
  options.reinit = 0.2;
  options.ema = 0.9;
  options.warmup = 5;
  options.model_spec = "ising";
  // 6 iterations with a checkpoint every 4: the file holds iteration 4.
  auto straight_model = std::make_shared<LearnedIsing>(6);
  DiscretePcdTrainer straight(straight_model, data, options, 5);
  straight.train();
  auto resumed_model = std::make_shared<LearnedIsing>(6);
  DiscretePcdTrainer resumed(resumed_model, data, options, 5);
  resumed.resume(checkpoint);
  EXPECT_EQ(resumed.iteration(), 4);
  resumed.train();
  const auto a = straight_model->parameters(), b = resumed_model->parameters();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;
  EXPECT_TRUE(torch::equal(straight.chains(), resumed.chains()));
  straight.use_ema_weights();
  resumed.use_ema_weights();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << i;
  // Another configuration is refused.
  options.sampler = "gibbs";
  DiscretePcdTrainer other(std::make_shared<LearnedIsing>(6), data, options, 5);
  testing::expect_input_error([&] { other.resume(checkpoint); }, "another configuration",
                              checkpoint);
}

TEST(DiscretePcdTest, ReplayBufferEmaAndWarmupDoWhatTheySay) {
  Rng rng(6);
  const torch::Tensor data = (rng.uniform({300, 5}) < 0.8).to(torch::kFloat64);
  DiscretePcdOptions options;
  options.steps = 3;
  options.batch = 8;
  options.buffer = 32;
  options.sampler_steps = 3;
  options.sampler = "gibbs";
  options.learning_rate = 0.1;
  options.warmup = 4;
  options.ema = 0.5;
  auto model = std::make_shared<LearnedIsing>(5);
  DiscretePcdTrainer trainer(model, data, options, 7);
  const torch::Tensor before = trainer.chains().clone();
  std::vector<double> rates;
  std::vector<std::vector<torch::Tensor>> iterates;
  trainer.train([&](const DiscretePcdProgress& p) {
    rates.push_back(p.learning_rate);
    std::vector<torch::Tensor> copy;
    for (const torch::Tensor& t : model->parameters()) copy.push_back(t.detach().clone());
    iterates.push_back(copy);
  });
  // Warm-up: 0.1 × (i + 1)/4.
  ASSERT_EQ(rates.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(rates[i], 0.025 * static_cast<double>(i + 1), 1e-15);
  // Each iteration advances at most a batch of the 32 chains: at least 32 − 3·8 stay put.
  const torch::Tensor unchanged = (trainer.chains() == before).all(1);
  EXPECT_GE(unchanged.sum().item<int64_t>(), 8);
  // EMA with decay 0.5 from the zero start: ((0·0.5 + θ₁)·0.5 + θ₂)·0.5·… .
  std::vector<torch::Tensor> ema;
  for (const torch::Tensor& t : iterates[0]) ema.push_back(torch::zeros_like(t));
  for (const auto& iterate : iterates) {
    for (size_t i = 0; i < ema.size(); ++i) ema[i] = 0.5 * ema[i] + 0.5 * iterate[i];
  }
  trainer.use_ema_weights();
  const auto parameters = model->parameters();
  for (size_t i = 0; i < ema.size(); ++i) {
    EXPECT_TRUE(torch::allclose(parameters[i], ema[i], 0, 1e-14)) << i;
  }
  // Restarts draw from the data's marginals (AIS's fitted base).
  const FactorizedBase marginals = fitted_base(*model->snapshot(), data);
  Rng draw(8);
  EXPECT_NEAR(marginals.sample(20000, false, draw).mean().item<double>(),
              data.mean().item<double>(), 0.01);
}

TEST(DiscretePcdTest, SavedModelsLoadBackAndSampleAsTargets) {
  testing::TempDir dir;
  Rng rng(9);
  const torch::Tensor data = (rng.uniform({100, 3, 4}).argmax(-1)).to(torch::kInt64);
  const torch::Tensor one_hot = one_hot_states(data, 4);
  for (const std::string spec : {"ising", "potts", "rbm:hidden=3", "deep:width=8,depth=1"}) {
    SCOPED_TRACE(spec);
    const bool categorical = spec == "potts";
    const torch::Tensor x = categorical ? one_hot : (data > 1).to(torch::kFloat64);
    Rng init(10);
    auto model = make_discrete_energy_model(spec, 3, categorical ? 4 : 2, init);
    EXPECT_EQ(model->kind(), Spec::parse(spec, "--model").name());
    DiscretePcdOptions options;
    options.steps = 4;
    options.batch = 10;
    options.learning_rate = 0.05;
    options.ema = 0.5;
    options.model_spec = spec;
    DiscretePcdTrainer trainer(model, x, options, 11);
    trainer.train();
    const std::string path = dir.file(Spec::parse(spec, "--model").name() + ".pt");
    trainer.save_checkpoint(path);
    trainer.use_ema_weights();
    const auto loaded = load_discrete_energy_model(path);
    EXPECT_TRUE(torch::allclose(loaded->log_prob(x), model->log_prob(x).detach(), 0, 1e-12));
    const std::unique_ptr<DiscreteTarget> target =
        make_discrete_target("discrete_ebm:model=" + path + ",weights=ema");
    EXPECT_TRUE(torch::allclose(target->log_prob(x), model->log_prob(x).detach(), 0, 1e-12));
  }
  testing::expect_input_error([] { make_discrete_target("discrete_ebm"); }, "needs model=PATH",
                              "--target discrete_ebm:model");
  testing::expect_input_error([&] { load_discrete_energy_model(dir.file("none.pt")); }, "not found",
                              dir.file("none.pt"));
}

TEST(DiscretePcdTest, BadInputIsRefused) {
  auto model = std::make_shared<LearnedIsing>(4);
  DiscretePcdOptions options;
  testing::expect_input_error(
      [&] {
        DiscretePcdTrainer(model, torch::full({3, 4}, 0.5), options, 1);
      },
      "binary", "--data");
  testing::expect_input_error(
      [&] {
        DiscretePcdTrainer(model, torch::zeros({3, 5}), options, 1);
      },
      "[rows, 4]", "--data");
  options.sampler = "hmc";
  testing::expect_input_error(
      [&] {
        DiscretePcdTrainer(model, torch::zeros({3, 4}), options, 1);
      },
      "unknown discrete sampler", "--sampler");
  testing::expect_input_error([] { LearnedIsing(1); }, "2 sites", "--model");
  options.sampler = "gwg";
  options.buffer = 100;
  testing::expect_input_error(
      [&] {
        DiscretePcdTrainer(model, torch::zeros({3, 4}), options, 1);
      },
      "at least a batch", "--persistent");
  options.buffer = 0;
  options.reinit = 1.5;
  testing::expect_input_error(
      [&] {
        DiscretePcdTrainer(model, torch::zeros({3, 4}), options, 1);
      },
      "[0, 1]", "--reinit");
  Rng rng(1);
  testing::expect_input_error([&] { make_discrete_energy_model("ising", 4, 3, rng); }, "binary",
                              "--model ising");
  testing::expect_input_error([&] { make_discrete_energy_model("rbm:hidden=0", 4, 2, rng); },
                              ">= 1", "--model rbm:hidden");
  testing::expect_input_error([&] { make_discrete_energy_model("mlp", 4, 2, rng); },
                              "unknown discrete EBM model", "--model");
}

}  // namespace
}  // namespace ebmc
