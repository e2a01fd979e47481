#include "ebmc/targets/registry.h"

#include <cmath>
#include <cstdlib>

#include "ebmc/core/errors.h"
#include "ebmc/io/spec.h"
#include "ebmc/targets/banana.h"
#include "ebmc/targets/dense_gaussian.h"
#include "ebmc/targets/funnel.h"
#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/logistic_regression.h"
#include "ebmc/targets/mixture.h"
#include "ebmc/targets/rough_well.h"

namespace ebmc {

namespace {

int64_t positive_dim(Spec& spec, int64_t fallback) {
  const int64_t d = spec.get_int("d", fallback);
  if (d < 1) throw InputError("d must be >= 1", "--target " + spec.name() + ":d");
  return d;
}

/// Variances log-spaced from 1e-2 to 1e2 (the ill-conditioned Gaussian of L2HMC).
torch::Tensor icg_scales(int64_t d) {
  return torch::sqrt(torch::logspace(-2.0, 2.0, d, 10.0, torch::kFloat64));
}

std::unique_ptr<Target> make_blr(Spec& spec) {
  std::string path = spec.get_string("file", "");
  const std::string data = spec.get_string("data", path.empty() ? "german" : "");
  if (!data.empty()) {
    if (!path.empty()) throw InputError("give data= or file=, not both", "--target blr");
    path = default_data_dir() + "/" + data + ".csv";
  }
  const double prior_scale = spec.get_double("prior_scale", 1.0);
  return std::make_unique<LogisticRegression>(read_binary_dataset(path), prior_scale,
                                              "blr:" + (data.empty() ? path : data));
}

}  // namespace

std::string default_data_dir() {
  const char* env = std::getenv("EBMC_DATA_DIR");
  return env != nullptr ? env : EBMC_DATA_DIR;
}

std::unique_ptr<Target> make_target(const std::string& text) {
  Spec spec = Spec::parse(text, "--target");
  const std::string& name = spec.name();
  std::unique_ptr<Target> target;
  if (name == "gaussian") {
    const int64_t d = positive_dim(spec, 2);
    const double mean = spec.get_double("mean", 0.0);
    const double scale = spec.get_double("scale", 1.0);
    target = std::make_unique<DiagonalGaussian>(torch::full({d}, mean, torch::kFloat64),
                                                torch::full({d}, scale, torch::kFloat64));
  } else if (name == "icg") {
    const int64_t d = positive_dim(spec, 50);
    target = std::make_unique<DiagonalGaussian>(torch::zeros({d}, torch::kFloat64), icg_scales(d));
  } else if (name == "rotated_icg") {
    const int64_t d = positive_dim(spec, 50);
    const torch::Tensor r = random_rotation(d, static_cast<uint64_t>(spec.get_int("seed", 1)));
    const torch::Tensor cov = r.matmul(torch::diag(icg_scales(d).pow(2))).matmul(r.t());
    target = std::make_unique<DenseGaussian>(torch::zeros({d}, torch::kFloat64),
                                             0.5 * (cov + cov.t()), "rotated_icg");
  } else if (name == "scg") {
    const torch::Tensor r = rotation_2d(M_PI / 4);
    const torch::Tensor cov =
        r.matmul(torch::diag(torch::tensor({1e2, 1e-1}, torch::kFloat64))).matmul(r.t());
    target = std::make_unique<DenseGaussian>(torch::zeros({2}, torch::kFloat64),
                                             0.5 * (cov + cov.t()), "scg");
  } else if (name == "mog") {
    const double distance = spec.get_double("distance", 4.0);
    const double variance = spec.get_double("variance", 0.1);
    const double weight = spec.get_double("weight", 0.5);
    target = std::make_unique<GaussianMixture>(two_mode_mixture(distance, variance, weight));
  } else if (name == "ring") {
    const int64_t modes = spec.get_int("modes", 8);
    const double radius = spec.get_double("radius", 4.0);
    const double scale = spec.get_double("scale", 0.3);
    target = std::make_unique<GaussianMixture>(ring_mixture(modes, radius, scale));
  } else if (name == "rough_well") {
    target = std::make_unique<RoughWell>(positive_dim(spec, 2), spec.get_double("eta", 1e-2));
  } else if (name == "funnel") {
    target = std::make_unique<Funnel>(spec.get_int("d", 10), spec.get_double("sigma", 3.0));
  } else if (name == "funnel1") {
    target = std::make_unique<Funnel>(100, 1.0);
  } else if (name == "funnel3") {
    target = std::make_unique<Funnel>(20, 3.0);
  } else if (name == "banana") {
    target = std::make_unique<Banana>(spec.get_int("d", 2), spec.get_double("b", 0.1));
  } else if (name == "blr") {
    target = make_blr(spec);
  } else {
    throw InputError("unknown target '" + name + "' (see `ebmc list`)", "--target");
  }
  spec.reject_unused();
  return target;
}

std::vector<std::string> target_catalogue() {
  return {
      "gaussian[:d=2,mean=0,scale=1]      isotropic Gaussian N(mean, scale^2 I)",
      "icg[:d=50]                         ill-conditioned Gaussian, variances log-spaced 1e-2..1e2",
      "rotated_icg[:d=50,seed=1]          ICG under a random rotation (dense covariance)",
      "scg                                strongly correlated 2-d Gaussian, variances 1e2, 1e-1 "
      "rotated by pi/4",
      "mog[:distance=4,variance=0.1,weight=0.5]  L2HMC's two-mode mixture in 2-d",
      "ring[:modes=8,radius=4,scale=0.3]  equal modes on a circle in 2-d",
      "rough_well[:d=2,eta=0.01]          1/2 x'x + eta sum cos(x_i/eta)",
      "funnel[:d=10,sigma=3]              Neal's funnel; presets funnel1 (sigma=1, d=100), "
      "funnel3 (sigma=3, d=20)",
      "banana[:d=2,b=0.1]                 Haario's twisted Gaussian",
      "blr[:data=german|pima|sonar|ionosphere,file=PATH,prior_scale=1]  Bayesian logistic "
      "regression, N(0, I) prior",
  };
}

}  // namespace ebmc
