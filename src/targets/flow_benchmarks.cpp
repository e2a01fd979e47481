#include "ebmc/targets/flow_benchmarks.h"

#include <cmath>

#include "ebmc/targets/registry.h"

namespace ebmc {

GaussianMixture two_to_one_mixture() {
  return GaussianMixture(torch::tensor({{-1.5, -1.5}, {1.5, 1.5}}, torch::kFloat64),
                         torch::tensor({std::sqrt(0.05), std::sqrt(0.1)}, torch::kFloat64),
                         torch::tensor({1.0 / 3.0, 2.0 / 3.0}, torch::kFloat64), "two_to_one");
}

GaussianMixture four_modes_mixture() {
  return GaussianMixture(
      torch::tensor({{-3.0, 0.0}, {-1.0, 0.0}, {1.0, 0.0}, {3.0, 0.0}}, torch::kFloat64),
      torch::full({4}, std::sqrt(0.05), torch::kFloat64),
      torch::tensor({0.1, 0.2, 0.3, 0.4}, torch::kFloat64), "four_modes");
}

GaussianMixture eight_gaussians_mixture() {
  const torch::Tensor angles = torch::arange(8, torch::kFloat64) * (2.0 * M_PI / 8.0);
  return GaussianMixture(torch::stack({torch::cos(angles), torch::sin(angles)}, 1),
                         torch::full({8}, 0.15, torch::kFloat64), torch::ones({8}, torch::kFloat64),
                         "eight_gaussians");
}

GaussianMixture four_mode_mixture_in(int64_t dim) {
  constexpr double a = 0.5919;
  torch::Tensor first = torch::full({dim}, a, torch::kFloat64);
  torch::Tensor second = first.clone();
  second.narrow(0, 0, dim / 2).fill_(-a);
  return GaussianMixture(torch::stack({first, second, -second, -first}),
                         torch::ones({4}, torch::kFloat64), torch::ones({4}, torch::kFloat64),
                         "gaussian_mixture_4");
}

namespace {

constexpr double kRingScale = 0.15;

torch::Tensor ring_radii() { return torch::arange(1, 5, torch::kFloat64); }

}  // namespace

torch::Tensor Rings::compute_energy(const torch::Tensor& x) const {
  const torch::Tensor r = x.pow(2).sum(1).sqrt().clamp_min(1e-12);
  const torch::Tensor diff = r.unsqueeze(1) - ring_radii().to(x.dtype());  // [B, 4]
  const torch::Tensor log_radial =
      torch::logsumexp(-0.5 * diff.pow(2) / (kRingScale * kRingScale), 1) - std::log(4.0) -
      std::log(kRingScale) - 0.5 * std::log(2.0 * M_PI);
  return -(log_radial - torch::log(r) - std::log(2.0 * M_PI));
}

torch::Tensor Rings::sample_exact(int64_t n, Rng& rng) const {
  const torch::Tensor ring = (rng.uniform({n}) * 4.0).floor().clamp_max(3.0);
  const torch::Tensor r = ring + 1.0 + kRingScale * rng.normal({n});
  const torch::Tensor angle = 2.0 * M_PI * rng.uniform({n});
  return torch::stack({r * torch::cos(angle), r * torch::sin(angle)}, 1);
}

torch::Tensor Rings::nearest_ring(const torch::Tensor& x) const {
  const torch::Tensor r = x.to(torch::kFloat64).pow(2).sum(1).sqrt();
  return (r.unsqueeze(1) - ring_radii()).abs().argmin(1);
}

void FourModeMixtureOptions::validate() const { check_at_least(d(), 2, "gaussian_mixture_4", "d"); }

EBMC_REGISTER(register_target<NoOptions>(
    "two_to_one", "grenioux-2023 C.2: 1/3 N(-1.5, 0.05 I) + 2/3 N(+1.5, 0.1 I) in 2-d",
    [](const NoOptions&) { return std::make_unique<GaussianMixture>(two_to_one_mixture()); }));

EBMC_REGISTER(register_target<NoOptions>(
    "four_modes", "grenioux-2023 C.3: weights 0.1/0.2/0.3/0.4 on a line from -3 to 3 in 2-d",
    [](const NoOptions&) { return std::make_unique<GaussianMixture>(four_modes_mixture()); }));

EBMC_REGISTER(register_target<NoOptions>(
    "eight_gaussians", "grenioux-2023 C.4: 8 equal modes (sd 0.15) on the unit circle",
    [](const NoOptions&) { return std::make_unique<GaussianMixture>(eight_gaussians_mixture()); }));

EBMC_REGISTER(register_target<NoOptions>(
    "rings", "grenioux-2023 C.4: 4 concentric rings of radius 1-4 (sd 0.15)",
    [](const NoOptions&) { return std::make_unique<Rings>(); }));

EBMC_REGISTER(register_target<FourModeMixtureOptions>(
    "gaussian_mixture_4", "grenioux-2023 C.5: 4 equal unit-variance modes at +-a(1..1), a=0.5919",
    [](const FourModeMixtureOptions& o) {
      return std::make_unique<GaussianMixture>(four_mode_mixture_in(o.d()));
    }));

}  // namespace ebmc
