// EBM methods and metrics: every registered method draws negatives of the right shape, records
// trajectories without touching its flow in evaluation mode; the metrics of a model that is the
// truth are the truth's; presets fill in the papers' settings.

#include <gtest/gtest.h>

#include "ebmc/ebm/ebm_method.h"
#include "ebmc/ebm/ebm_metrics.h"
#include "ebmc/ebm/ebm_presets.h"
#include "ebmc/targets/flow_benchmarks.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

TEST(EbmMethodsTest, EveryMethodDrawsNegativesAndRecordsItsTrajectory) {
  Rng data_rng(1);
  const torch::Tensor data = two_to_one_mixture().sample_exact(256, data_rng);
  const std::map<std::string, std::string> small = {
      {"ula", "ula:steps=3"},
      {"flowmc", "flowmc:first_local=1,local_steps=1,cycles=3,particles=4,blocks=1,hidden=4"},
      {"ntebm", "ntebm:steps=3,blocks=1,hidden=4"},
      {"coopflow", "coopflow:steps=3,pretrain=2,blocks=1,hidden=4"}};
  for (const ComponentInfo& info : components(ComponentKind::kEbmMethod)) {
    SCOPED_TRACE(info.name);
    if (make_ebm_method(info.name)->sample_free()) continue;  // tested with its objective
    ASSERT_TRUE(small.count(info.name)) << "a new method: add it here";
    std::shared_ptr<EbmMethod> method = make_ebm_method(small.at(info.name));
    EXPECT_EQ(method->name(), info.name);
    Rng rng(2);
    auto model = std::make_shared<NeuralEnergy>(2, EnergyNetworkOptions().width(4), 1.5, rng);
    EbmTarget target(model);
    torch::Tensor chains = method->initialize({2, data, 1.5}, 40, rng);
    ASSERT_EQ(chains.sizes(), (std::vector<int64_t>{40, 2}));
    torch::Tensor batch = chains.narrow(0, 0, 8).clone();
    NegativeBatch negatives = method->negatives(target, batch, 0, 10, rng);
    EXPECT_EQ(negatives.x.size(1), 2);
    EXPECT_EQ(negatives.start.sizes(), (std::vector<int64_t>{8, 2}));
    EXPECT_TRUE(torch::isfinite(negatives.x).all().item<bool>());
    EXPECT_TRUE(negatives.trajectory.empty());
    // Evaluation mode: a trajectory, and the companion flow stays as it is.
    std::vector<torch::Tensor> before;
    if (method->flow()) {
      for (const auto& p : method->flow()->parameters()) before.push_back(p.clone());
    }
    method->set_evaluation(true);
    NegativeBatch evaluated = method->negatives(target, batch, 0, 10, rng);
    method->set_evaluation(false);
    // Every MCMC step is recorded: flowMC-EBM's 3 cycles of a global move and a local step
    // give 6 states, the others' 3 steps 3.
    EXPECT_EQ(evaluated.trajectory.size(), info.name == "flowmc" ? 6u : 3u);
    EXPECT_EQ(method->persistent_chains(), info.name == "ula" || info.name == "flowmc");
    if (!method->persistent_chains()) {  // chains that restart: one evaluation pass for R-hat
      std::string spec = small.at(info.name);
      spec.replace(spec.find("steps=3"), 7, "steps=5");
      std::shared_ptr<EbmMethod> longer = make_ebm_method(spec);
      torch::Tensor start = longer->initialize({2, data, 1.5}, 40, rng);
      const nlohmann::json metrics = ebm_metrics(target, *longer, start, data, nullptr, 20, rng);
      EXPECT_EQ(metrics.at("negatives_rhat_passes"), 1);
      EXPECT_EQ(metrics.at("negatives_rhat_steps"), 5);
    }
    if (method->flow()) {
      const auto after = method->flow()->parameters();
      for (size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(torch::equal(before[i], after[i]));
    }
  }
}

/// An EBM whose energy is a target's: E = U (no tilt), so p_θ is that target.
class TargetEnergy : public EnergyModel {
 public:
  explicit TargetEnergy(const Target& target) : EnergyModel(target.dim(), 0.0), target_(target) {}
  std::string kind() const override { return "target"; }
  nlohmann::json options_json() const override { return {}; }
  torch::Tensor energy(const torch::Tensor& x) override { return target_.energy(x); }

 private:
  const Target& target_;
};

TEST(EbmMethodsTest, MetricsOfTheTruthAreTheTruths) {
  for (const std::string name : {"two_to_one", "four_modes", "rings"}) {
    SCOPED_TRACE(name);
    std::unique_ptr<Target> truth = make_target(name);
    const auto* exact = dynamic_cast<const ExactSampler*>(truth.get());
    Rng rng(3);
    const torch::Tensor data = exact->sample_exact(5000, rng);
    EbmTarget model(std::make_shared<TargetEnergy>(*truth));
    std::shared_ptr<EbmMethod> method = make_ebm_method("ula:steps=4");
    torch::Tensor chains = method->initialize({2, data, 1.0}, 64, rng);
    const nlohmann::json metrics = ebm_metrics(model, *method, chains, data, truth.get(), 300, rng);
    EXPECT_LT(metrics.at("median_sq_log_density_error").get<double>(), 1e-4);
    const auto weights = metrics.at("mode_weights").get<std::vector<double>>();
    const auto expected = metrics.at("true_mode_weights").get<std::vector<double>>();
    ASSERT_EQ(weights.size(), expected.size());
    for (size_t k = 0; k < weights.size(); ++k) EXPECT_NEAR(weights[k], expected[k], 3e-3) << k;
    EXPECT_LT(metrics.at("mode_weight_mse").get<double>(), 1e-5);
    // R-hat from 128 states per chain: 32 evaluation passes of ULA's 4 steps.
    EXPECT_EQ(metrics.at("negatives_rhat_steps").get<int64_t>(), 128);
    EXPECT_EQ(metrics.at("negatives_rhat_passes").get<int64_t>(), 32);
  }
}

TEST(EbmMethodsTest, MaxRhatSeesChainsThatDoNotMix) {
  Rng rng(4);
  // 8 chains of 200 steps in 3-d: mixed (i.i.d.) vs. stuck around different levels.
  const torch::Tensor mixed = rng.normal({200, 8, 3});
  const torch::Tensor stuck = mixed + torch::arange(8, torch::kFloat64).reshape({1, 8, 1});
  EXPECT_LT(max_rhat(mixed), 1.05);
  EXPECT_GT(max_rhat(stuck), 2.0);
}

TEST(EbmMethodsTest, PresetsAreThePapersAndUserOptionsWin) {
  const EbmPreset c2 = ebm_preset("c2", "flowmc", 2);
  EXPECT_EQ(c2.trainer.batch(), 64);
  EXPECT_EQ(c2.trainer.persistent(), 1024);
  EXPECT_EQ(c2.method_spec,
            "flowmc:cycles=1,first_local=4,flow_lr=0.01,global_steps=2,local_steps=4,"
            "particles=32,step_size=0.01");
  const EbmPreset ula = ebm_preset("table4", "ula:steps=100", 2);
  EXPECT_EQ(ula.method_spec, "ula:init=uniform,step_size=0.0078125,steps=100");
  EXPECT_EQ(ula.trainer.batch(), 256);
  const EbmPreset high = ebm_preset("table7", "flowmc", 64);
  EXPECT_NE(high.method_spec.find("hidden=51"), std::string::npos);
  EXPECT_EQ(high.trainer.negative_chains(), 8);
  for (const std::string& preset : ebm_preset_names()) {
    for (const std::string method : {"ula", "flowmc", "ntebm", "coopflow"}) {
      EXPECT_NO_THROW(make_ebm_method(ebm_preset(preset, method, 16).method_spec))
          << preset << " " << method;
    }
  }
  testing::expect_input_error([] { ebm_preset("table9", "ula", 2); }, "unknown preset", "--preset");
}

}  // namespace
}  // namespace ebmc
