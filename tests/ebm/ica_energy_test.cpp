// The linear ICA model as an EBM: its closed-form normalizer against numerical integration and
// the `ica` target's density, and exact maximum-likelihood training (`ml`) reaching the truth.

#include "ebmc/ebm/ica_energy.h"

#include <gtest/gtest.h>

#include "ebmc/ebm/ebm_trainer.h"
#include "ebmc/ebm/maximum_likelihood.h"
#include "ebmc/targets/linear_ica.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// An `ica` model (`spec`) on `dim` coordinates with unmixing matrix `a`.
std::shared_ptr<EnergyModel> ica_model(const torch::Tensor& a, const std::string& spec = "ica") {
  Rng unused(0);
  std::shared_ptr<EnergyModel> model = make_energy_model(spec, a.size(0), 0.0, false, unused);
  torch::NoGradGuard no_grad;
  model->parameters()[0].copy_(a);
  return model;
}

TEST(IcaEnergyTest, NormalizerIsExact) {
  // ∫exp(−E)dx over a fine 2-d grid against exp(log Z) = 1/|det A|.
  const torch::Tensor a = torch::tensor({{1.2, 0.4}, {-0.3, 0.9}}, torch::kFloat64);
  for (const std::string spec : {"ica", "ica:sources=logistic"}) {
    SCOPED_TRACE(spec);
    std::shared_ptr<EnergyModel> model = ica_model(a, spec);
    const int64_t cells = 1200;
    const double lo = -25, width = 50.0 / cells;
    const torch::Tensor axis = lo + width * (torch::arange(cells, torch::kFloat64) + 0.5);
    const auto grid = torch::meshgrid({axis, axis}, "ij");
    const torch::Tensor points = torch::stack({grid[0].flatten(), grid[1].flatten()}, 1);
    torch::NoGradGuard no_grad;
    const double integral =
        (torch::exp(-model->energy(points)).sum() * width * width).item<double>();
    EXPECT_NEAR(std::log(integral), model->log_normalizer().item<double>(), 1e-3);
    EXPECT_NEAR(model->log_normalizer().item<double>(),
                -std::log(std::abs(torch::det(a).item<double>())), 1e-12);
  }
}

TEST(IcaEnergyTest, AtTheInverseMixingItIsTheIcaTarget) {
  for (const std::string sources : {"laplace", "logistic"}) {
    const LinearIca truth = LinearIca::random(5, 3, ica_sources_from_name(sources, "test"));
    std::shared_ptr<EnergyModel> model =
        ica_model(torch::inverse(truth.mixing()), "ica:sources=" + sources);
    Rng rng(1);
    const torch::Tensor x = truth.sample_exact(200, rng);
    torch::NoGradGuard no_grad;
    const torch::Tensor log_p = -model->energy(x) - model->log_normalizer();
    EXPECT_TRUE(torch::allclose(log_p, -truth.energy(x), 0, 1e-10));
  }
}

TEST(IcaEnergyTest, MaximumLikelihoodReachesTheTruesLikelihood) {
  const LinearIca truth = LinearIca::random(4, 2);
  Rng rng(4);
  const torch::Tensor data = truth.sample_exact(8000, rng);
  Rng init(5);
  std::shared_ptr<EnergyModel> model = make_energy_model("ica", 4, 0.0, false, init);
  const double before = mean_log_likelihood(*model, data).first;
  EbmTrainerOptions options;
  options.steps(1500).batch(256).persistent(256).learning_rate(0.01).checkpoint_every(0);
  EbmTrainer trainer(model, make_ebm_method("ml"), data, options, 6);
  trainer.train();
  const double fitted = mean_log_likelihood(*model, data).first;
  const double true_ll = (-truth.energy(data)).mean().item<double>();
  // The MLE's in-sample log-likelihood is at least the truth's (up to Adam's last-step noise).
  EXPECT_GT(fitted, before + 0.5);
  EXPECT_NEAR(fitted, true_ll, 0.03) << "before " << before;
}

TEST(IcaEnergyTest, BadUseIsRefused) {
  Rng rng(1);
  testing::expect_input_error([&] { make_energy_model("ica", 3, 1.5, false, rng); }, "no tilt",
                              "--tilt-scale");
  testing::expect_input_error([&] { make_energy_model("ica:init_scale=0", 3, 0.0, false, rng); },
                              "init_scale", "--model ica:init_scale");
  testing::expect_input_error([&] { make_energy_model("rbm", 3, 0.0, false, rng); },
                              "unknown EBM model", "--model");
  // Exact likelihood needs a closed-form normalizer.
  std::shared_ptr<EnergyModel> mlp = make_energy_model("mlp:width=4", 2, 1.0, false, rng);
  testing::expect_input_error(
      [&] {
        make_ebm_method("ml")->sample_free_loss(*mlp, torch::zeros({3, 2}), rng);
      },
      "closed-form normalizer", "--method ml");
}

}  // namespace
}  // namespace ebmc
