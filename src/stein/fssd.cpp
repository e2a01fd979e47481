#include "ebmc/stein/fssd.h"

#include <cmath>
#include <cstdio>

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor fssd_features(const torch::Tensor& x, const torch::Tensor& score,
                            const torch::Tensor& v, const torch::Tensor& h) {
  const int64_t n = x.size(0), dim = x.size(1), J = v.size(0);
  const torch::Tensor r = x.unsqueeze(1) - v.unsqueeze(0);  // [n, J, dim]
  const torch::Tensor h2 = h * h;
  const torch::Tensor k = torch::exp(-r.pow(2).sum(2) / (2 * h2));  // [n, J]
  // ξ = s(x) k + ∇ₓk, ∇ₓk = −k r/h².
  const torch::Tensor xi = k.unsqueeze(2) * (score.unsqueeze(1) - r / h2);
  return xi.reshape({n, J * dim}) / std::sqrt(static_cast<double>(dim * J));
}

torch::Tensor fssd_statistic(const torch::Tensor& features) {
  const double n = static_cast<double>(features.size(0));
  return (features.sum(0).pow(2).sum() - features.pow(2).sum()) / (n * (n - 1));
}

namespace {

/// FSSD²/σ_H₁ on `features` (with a small ridge in σ), the power criterion to maximize.
torch::Tensor power_criterion(const torch::Tensor& features) {
  const torch::Tensor mu = features.mean(0);
  const torch::Tensor centred = features - mu;
  const torch::Tensor sigma_mu =
      centred.t().matmul(centred.matmul(mu)) / static_cast<double>(features.size(0) - 1);
  const torch::Tensor variance = 4 * mu.dot(sigma_mu);
  return fssd_statistic(features) / torch::sqrt(variance + 1e-4);
}

}  // namespace

SteinTestResult fssd_test(const Target& model, const torch::Tensor& data,
                          const FssdOptions& options, Rng& rng) {
  check_test_data(model, data, 10, "--data");
  if (options.locations < 1) throw InputError("needs at least 1 test location", "--locations");
  if (!(options.train_fraction > 0 && options.train_fraction < 1)) {
    throw InputError("train fraction must be in (0, 1)", "--train-fraction");
  }
  const torch::Tensor x = data.to(torch::kFloat64);
  const int64_t n = x.size(0), dim = x.size(1);
  const int64_t n_train = std::max<int64_t>(
      2, static_cast<int64_t>(std::llround(options.train_fraction * static_cast<double>(n))));
  if (n - n_train < 2) throw InputError("too few rows left to test on", "--data");
  torch::Tensor score;
  {
    torch::NoGradGuard no_grad;
    score = model_score(model, x);
  }
  const torch::Tensor x_train = x.narrow(0, 0, n_train), s_train = score.narrow(0, 0, n_train);
  const torch::Tensor x_test = x.narrow(0, n_train, n - n_train);
  const torch::Tensor s_test = score.narrow(0, n_train, n - n_train);

  // Start: locations from a Gaussian fitted to the training rows, h by the median heuristic.
  const torch::Tensor mean = x_train.mean(0);
  const torch::Tensor cov =
      (x_train - mean).t().matmul(x_train - mean) / static_cast<double>(n_train - 1) +
      1e-6 * torch::eye(dim, torch::kFloat64);
  if (!torch::isfinite(cov).all().item<bool>()) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "the covariance of the data rows overflows (largest |x| = %g); rescale the data",
                  x_train.abs().max().item<double>());
    throw InputError(text, "--data");
  }
  const torch::Tensor chol = torch::linalg_cholesky(cov);
  torch::Tensor v = (mean + rng.normal({options.locations, dim}).matmul(chol.t())).detach();
  const double h0 = options.bandwidth > 0 ? options.bandwidth : median_bandwidth(x_train);
  check_bandwidth(h0);
  torch::Tensor log_h = torch::tensor(std::log(h0), torch::kFloat64);
  if (options.optimize_steps > 0) {
    torch::AutoGradMode enable(true);
    v.requires_grad_(true);
    log_h.requires_grad_(true);
    torch::optim::Adam adam({v, log_h}, torch::optim::AdamOptions(options.learning_rate));
    for (int64_t step = 0; step < options.optimize_steps; ++step) {
      adam.zero_grad();
      const torch::Tensor objective =
          -power_criterion(fssd_features(x_train, s_train, v, torch::exp(log_h)));
      if (!torch::isfinite(objective).item<bool>()) break;
      objective.backward();
      adam.step();
    }
    v = v.detach();
    log_h = log_h.detach();
  }
  torch::NoGradGuard no_grad;
  const double h = std::exp(log_h.item<double>());
  check_bandwidth(h);
  const torch::Tensor features = fssd_features(x_test, s_test, v, log_h.exp());
  require_finite_kernel(features, "the FSSD features", x_test, s_test, h);
  const int64_t m = features.size(0);
  const double statistic = fssd_statistic(features).item<double>();
  const torch::Tensor centred = features - features.mean(0);
  const torch::Tensor covariance = centred.t().matmul(centred) / static_cast<double>(m - 1);
  const torch::Tensor omega = torch::linalg_eigvalsh(covariance, "L").clamp_min(0);
  const torch::Tensor z = rng.normal({options.null_draws, omega.size(0)});
  const torch::Tensor null = (z.pow(2) - 1).matmul(omega);
  const int64_t exceed = (null >= static_cast<double>(m) * statistic).sum().item<int64_t>();
  SteinTestResult result;
  result.test = "fssd";
  result.statistic = statistic;
  result.p_value = static_cast<double>(1 + exceed) / static_cast<double>(1 + options.null_draws);
  result.n = m;
  result.bandwidth = h;
  result.extra = {{"locations", options.locations}, {"train_rows", n_train}};
  result.require_finite();
  return result;
}

}  // namespace ebmc
