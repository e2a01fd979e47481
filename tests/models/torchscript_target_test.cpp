// Energies exported from PyTorch as TorchScript (fixtures made by
// examples/torchscript/export_energy.py): the same energy and gradient as ebmc's own banana,
// float32 traced modules returning log p, clear errors for files that are not usable, and
// sampling through the CLI.

#include "ebmc/models/torchscript_target.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace ebmc
