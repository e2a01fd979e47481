#include "ebmc/targets/gauss_bernoulli_rbm.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ebmc/core/errors.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

namespace {

/// log cosh(a), stable for large |a|: |a| + log1p(exp(−2|a|)) − log 2.
torch::Tensor log_cosh(const torch::Tensor& a) {
  const torch::Tensor m = a.abs();
  return m + torch::log1p(torch::exp(-2 * m)) - std::log(2.0);
}

torch::Tensor json_matrix(const nlohmann::json& value, const std::string& key,
                          const std::string& path) {
  if (!value.is_array() || value.empty()) {
    throw InputError("'" + key + "' must be a non-empty array", path);
  }
  const bool matrix = value.front().is_array();
  const int64_t rows = static_cast<int64_t>(value.size());
  const int64_t cols = matrix ? static_cast<int64_t>(value.front().size()) : 1;
  torch::Tensor out = torch::empty({rows, cols}, torch::kFloat64);
  for (int64_t i = 0; i < rows; ++i) {
    const nlohmann::json& row = value[static_cast<size_t>(i)];
    if (matrix != row.is_array() || (matrix && static_cast<int64_t>(row.size()) != cols)) {
      throw InputError("'" + key + "' rows must all have " + std::to_string(cols) + " numbers",
                       path);
    }
    for (int64_t j = 0; j < cols; ++j) {
      const nlohmann::json& v = matrix ? row[static_cast<size_t>(j)] : row;
      if (!v.is_number()) throw InputError("'" + key + "' must hold numbers", path);
      out[i][j] = v.get<double>();
    }
  }
  return matrix ? out : out.squeeze(1);
}

}  // namespace

GaussBernoulliRbm::GaussBernoulliRbm(torch::Tensor B, torch::Tensor b, torch::Tensor c)
    : B_(B.to(torch::kFloat64).contiguous()),
      b_(b.to(torch::kFloat64).contiguous()),
      c_(c.to(torch::kFloat64).contiguous()) {
  if (B_.dim() != 2 || b_.dim() != 1 || c_.dim() != 1 || b_.size(0) != B_.size(0) ||
      c_.size(0) != B_.size(1) || B_.size(0) < 1 || B_.size(1) < 1) {
    throw InputError("B must be [visible, hidden], b [visible] and c [hidden]", "gbrbm");
  }
  if (!torch::isfinite(B_).all().item<bool>() || !torch::isfinite(b_).all().item<bool>() ||
      !torch::isfinite(c_).all().item<bool>()) {
    throw InputError("parameters must be finite", "gbrbm");
  }
}

GaussBernoulliRbm GaussBernoulliRbm::random(int64_t visible, int64_t hidden, uint64_t seed,
                                            double perturb) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  torch::Tensor B = 2 * torch::bernoulli(torch::full({visible, hidden}, 0.5, f64), gen) - 1;
  torch::Tensor b = torch::randn({visible}, gen, f64);
  torch::Tensor c = torch::randn({hidden}, gen, f64);
  if (perturb > 0) B = B + perturb * torch::randn({visible, hidden}, gen, f64);
  return GaussBernoulliRbm(B, b, c);
}

GaussBernoulliRbm GaussBernoulliRbm::from_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot read the RBM file", path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("not valid JSON: ") + e.what(), path);
  }
  for (const char* key : {"B", "b", "c"}) {
    if (!j.is_object() || !j.contains(key)) {
      throw InputError(std::string("missing '") + key + "' (expects {\"B\", \"b\", \"c\"})", path);
    }
  }
  torch::Tensor B = json_matrix(j.at("B"), "B", path);
  if (B.dim() != 2) throw InputError("'B' must be a matrix (visible × hidden)", path);
  try {
    return GaussBernoulliRbm(B, json_matrix(j.at("b"), "b", path),
                             json_matrix(j.at("c"), "c", path));
  } catch (const InputError& e) {
    throw InputError(e.what(), path);
  }
}

torch::Tensor GaussBernoulliRbm::compute_energy(const torch::Tensor& x) const {
  const torch::Tensor a = 0.5 * x.matmul(B_) + c_;
  return 0.5 * x.pow(2).sum(1) - x.matmul(b_) - log_cosh(a).sum(1);
}

torch::Tensor GaussBernoulliRbm::score(const torch::Tensor& x) const {
  const torch::Tensor xd = x.to(torch::kFloat64);
  return b_ - xd + 0.5 * torch::tanh(0.5 * xd.matmul(B_) + c_).matmul(B_.t());
}

EnergyAndGrad GaussBernoulliRbm::compute_energy_and_grad(const torch::Tensor& x) const {
  return {compute_energy(x), -score(x)};
}

torch::Tensor GaussBernoulliRbm::sample_exact(int64_t n, Rng& rng) const {
  const int64_t hidden = B_.size(1);
  torch::Tensor h = 2 * (rng.uniform({n, hidden}) < 0.5).to(torch::kFloat64) - 1;
  torch::Tensor x;
  for (int64_t sweep = 0; sweep < kBurnIn; ++sweep) {
    x = b_ + 0.5 * h.matmul(B_.t()) + rng.normal({n, dim()});
    const torch::Tensor p = torch::sigmoid(x.matmul(B_) + 2 * c_);
    h = 2 * (rng.uniform({n, hidden}) < p).to(torch::kFloat64) - 1;
  }
  return x;
}

void GaussBernoulliRbmOptions::validate() const {
  check_at_least(visible(), 1, "gbrbm", "visible");
  check_at_least(hidden(), 1, "gbrbm", "hidden");
  check_at_least(seed(), 0, "gbrbm", "seed");
  if (!(perturb() >= 0 && std::isfinite(perturb()))) {
    throw InputError("perturb must be finite and >= 0", "gbrbm:perturb");
  }
}

EBMC_REGISTER(register_target<GaussBernoulliRbmOptions>(
    "gbrbm", "Gaussian-Bernoulli RBM, hidden units summed out (Stein-discrepancy tests)",
    [](const GaussBernoulliRbmOptions& o) -> std::unique_ptr<Target> {
      if (!o.file().empty()) {
        auto rbm = std::make_unique<GaussBernoulliRbm>(GaussBernoulliRbm::from_json_file(o.file()));
        if (o.perturb() == 0) return rbm;
        throw InputError("perturb applies to random parameters only", "gbrbm:perturb");
      }
      return std::make_unique<GaussBernoulliRbm>(GaussBernoulliRbm::random(
          o.visible(), o.hidden(), static_cast<uint64_t>(o.seed()), o.perturb()));
    }));

}  // namespace ebmc
