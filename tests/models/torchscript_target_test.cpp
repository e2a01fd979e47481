// Energies exported from PyTorch as TorchScript (fixtures made by
// examples/torchscript/export_energy.py): the same energy and gradient as ebmc's own banana,
// float32 traced modules returning log p, clear errors for files that are not usable, and
// sampling through the CLI.

#include "ebmc/models/torchscript_target.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

const std::string kFixtures = std::string(EBMC_TESTS_DIR) + "/../examples/torchscript";

TEST(TorchScriptTargetTest, ScriptedBananaMatchesTheBuiltInBanana) {
  std::unique_ptr<Target> exported = make_target("torchscript:path=" + kFixtures + "/banana.pt");
  std::unique_ptr<Target> builtin = make_target("banana");
  ASSERT_EQ(exported->dim(), 2);  // from the module's dim()
  Rng rng(1);
  const torch::Tensor x = 5.0 * rng.normal({6, 2});
  const EnergyAndGrad a = exported->energy_and_grad(x);
  const EnergyAndGrad b = builtin->energy_and_grad(x);
  EXPECT_TRUE(torch::allclose(a.energy, b.energy, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(a.grad, b.grad, 1e-10, 1e-10));
}

TEST(TorchScriptTargetTest, TracedFloat32LogDensityIsNegatedAndPromoted) {
  std::unique_ptr<Target> target =
      make_target("torchscript:path=" + kFixtures + "/mixture_logp.pt,sign=logp,dim=2");
  Rng rng(2);
  const torch::Tensor x = 2.0 * rng.normal({5, 2});
  const EnergyAndGrad eg = target->energy_and_grad(x);
  EXPECT_EQ(eg.energy.scalar_type(), torch::kFloat64);
  // U = −log(½ Σ_k exp(−‖x − μ_k‖²/2)) up to the constant log ½ the module leaves out.
  const torch::Tensor means = torch::tensor({{-2.0, 0.0}, {2.0, 0.0}}, torch::kFloat64);
  const torch::Tensor expected =
      -torch::logsumexp(-0.5 * (x.unsqueeze(1) - means.unsqueeze(0)).pow(2).sum(-1), 1);
  EXPECT_TRUE(torch::allclose(eg.energy, expected, 1e-5, 1e-5)) << eg.energy << expected;
  // The gradient by autograd through the module against central differences.
  const double h = 1e-2;
  for (int64_t i = 0; i < 2; ++i) {
    torch::Tensor step = torch::zeros_like(x);
    step.select(1, i).fill_(h);
    const torch::Tensor fd = (target->energy(x + step) - target->energy(x - step)) / (2 * h);
    EXPECT_TRUE(torch::allclose(eg.grad.select(1, i), fd, 1e-3, 1e-3)) << i;
  }
}

TEST(TorchScriptTargetTest, UnusableFilesAreRefusedWithOneClearLine) {
  testing::TempDir dir;
  const std::string text = dir.write("energy.pt", "def forward(x): return x");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"torchscript", "needs path=FILE"},
      {"torchscript:path=" + dir.file("missing.pt"), "file not found"},
      {"torchscript:path=" + text, "not a TorchScript file"},
      {"torchscript:path=" + kFixtures + "/mixture_logp.pt", "give dim=D"},
      {"torchscript:path=" + kFixtures + "/wrong_shape.pt", "forward returned shape [2, 2]"},
      {"torchscript:path=" + kFixtures + "/wrong_dtype.pt", "expected a floating-point tensor"},
      {"torchscript:path=" + kFixtures + "/banana.pt,dim=3", "the module's dim() says 2"},
      {"torchscript:path=" + kFixtures + "/banana.pt,sign=minus", "energy|logp"},
  };
  for (const auto& [spec, message] : cases) {
    try {
      make_target(spec);
      ADD_FAILURE() << spec << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << spec << ": " << e.what();
    }
  }
}

TEST(TorchScriptTargetTest, SampleYourPyTorchModelFromTheCommandLine) {
  testing::TempDir dir;
  testing::CommandResult r =
      testing::run_ebmc("sample --target torchscript:path=" + kFixtures +
                        "/banana.pt --chains 4 --warmup 300 --draws 300 --seed 2 --no-progress "
                        "--out " +
                        dir.file("run"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sampler nuts"), std::string::npos) << r.out;
  std::ifstream in(dir.file("run") + "/summary.json");
  const nlohmann::json summary = nlohmann::json::parse(in);
  EXPECT_GT(summary["run"]["gradient_evals"].get<int64_t>(), 0);
  // x.1 ~ N(0, 10²): its mean is near 0 on the scale of its MCSE.
  const nlohmann::json& x1 = summary["parameters"]["x.1"];
  EXPECT_NEAR(x1["mean"].get<double>(), 0.0, 5 * x1["mcse_mean"].get<double>());
}

TEST(TorchScriptTargetTest, AModuleCannotChangeTheStatesItIsGiven) {
  const std::unique_ptr<Target> target =
      make_target("torchscript:path=" + kFixtures + "/in_place.pt");  // doubles its input
  const torch::Tensor x = torch::tensor({{1.0, 2.0}, {-0.5, 0.25}}, torch::kFloat64);
  const torch::Tensor before = x.clone();
  const EnergyAndGrad eg = target->energy_and_grad(x);
  EXPECT_TRUE(torch::equal(x, before));
  // U = (2x)ᵀ(2x)/8 = xᵀx/2 of the states as given, and its gradient x.
  EXPECT_TRUE(torch::allclose(eg.energy, 0.5 * before.pow(2).sum(1)));
  EXPECT_TRUE(torch::allclose(eg.grad, before));
  target->energy(x);
  EXPECT_TRUE(torch::equal(x, before));
}

TEST(TorchScriptTargetTest, HostileModelsGetNamedInsteadOfSilentRuns) {
  const auto sample = [](const std::string& fixture, const std::string& out) {
    return testing::run_ebmc("sample --target torchscript:path=" + kFixtures + "/" + fixture +
                             " --chains 4 --warmup 300 --draws 300 --seed 3 --no-progress --out " +
                             out);
  };
  testing::TempDir dir;
  // A proper Gaussian in large units (sd 1e8) runs: no "improper" refusal.
  const testing::CommandResult wide = sample("wide_gaussian.pt", dir.file("wide"));
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  std::ifstream in(dir.file("wide") + "/summary.json");
  const nlohmann::json summary = nlohmann::json::parse(in);
  EXPECT_NEAR(summary["parameters"]["x.1"]["sd"].get<double>(), 1e8, 2e7);
  // U = -x'x: the energy falls in every chain, and the run says so.
  const testing::CommandResult improper = sample("improper.pt", dir.file("improper"));
  EXPECT_NE(improper.err.find("energy fell through the whole run"), std::string::npos)
      << improper.err;
  // An energy detached from its input: the zero gradient is named.
  const testing::CommandResult detached = sample("detached.pt", dir.file("detached"));
  EXPECT_NE(detached.err.find("gradient of the energy was exactly zero"), std::string::npos)
      << detached.err;
  // Support x > 0 from inits on (-2, 2): chains retry their initial points, as Stan's do.
  const testing::CommandResult half = sample("half_line.pt", dir.file("half"));
  ASSERT_EQ(half.exit_code, 0) << half.err;
  EXPECT_NE(half.err.find("random initial points (the target is not finite at the others)"),
            std::string::npos)
      << half.err;
}

/// Site marginals of `sampler` on the discrete TorchScript target `spec`: draws of the states
/// themselves (flattened one-hot for categorical targets), [draws, chains, D (× K)].
torch::Tensor state_draws(const std::string& spec, const std::string& sampler, uint64_t seed) {
  std::unique_ptr<DiscreteTarget> target = make_discrete_target(spec);
  std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(sampler);
  Rng rng(seed);
  State initial = kernel->init(*target, target->random_states(8, rng));
  const Monitor states = [](const State& s) { return s.x.reshape({s.x.size(0), -1}); };
  return run_chains(*kernel, std::move(initial), rng, RunOptions().warmup(200).draws(3000), {},
                    states)
      .draws;
}

/// Every coordinate's mean within 4 MCSE of `mean` (for 0/1 draws the variance follows).
void expect_means_within_mcse(const torch::Tensor& draws, const torch::Tensor& mean,
                              const std::string& label) {
  const std::vector<ChainMatrix> columns = per_parameter(draws);
  ASSERT_EQ(static_cast<int64_t>(columns.size()), mean.size(0));
  for (size_t i = 0; i < columns.size(); ++i) {
    const ParameterSummary s = summarize("x", columns[i]);
    EXPECT_LT(s.rhat, 1.1) << label << " " << i;
    EXPECT_NEAR(s.mean, mean[static_cast<int64_t>(i)].item<double>(), 4 * s.mcse_mean)
        << label << " site " << i;
  }
}

TEST(TorchScriptTargetStatistical, DiscreteModulesGiveTheirExactMarginals) {
  // Independent sites: binary p(x_i = 1) = sigmoid(b_i), categorical p(x_i = k) = softmax(W_i).
  ASSERT_TRUE(is_registered_discrete_target("torchscript:path=m.pt,kind=binary"));
  ASSERT_FALSE(is_registered_discrete_target("torchscript:path=m.pt"));
  const torch::Tensor b = torch::tensor({-1.5, -0.5, 0.0, 0.7, 2.0}, torch::kFloat64);
  const torch::Tensor p = torch::sigmoid(b);
  expect_means_within_mcse(
      state_draws("torchscript:path=" + kFixtures + "/bernoulli_logp.pt,kind=binary", "gwg", 5), p,
      "binary");
  const torch::Tensor w = torch::tensor(
      {{0.0, 1.0, -1.0, 0.5}, {2.0, 0.0, 0.0, 0.0}, {-0.5, -0.5, 1.5, 0.0}}, torch::kFloat64);
  const torch::Tensor q = torch::softmax(w, 1).reshape({-1});
  expect_means_within_mcse(
      state_draws("torchscript:path=" + kFixtures + "/categorical_logp.pt,kind=categorical,k=4",
                  "gwg", 6),
      q, "categorical");
  // A module for other states is refused when loaded.
  EXPECT_THROW(make_discrete_target("torchscript:path=" + kFixtures +
                                    "/bernoulli_logp.pt,kind=categorical,k=3"),
               InputError);
}

}  // namespace
}  // namespace ebmc
