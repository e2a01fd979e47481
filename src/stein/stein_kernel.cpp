#include "ebmc/stein/stein_kernel.h"

#include <cmath>
#include <cstdio>

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor model_score(const Target& model, const torch::Tensor& x) {
  const torch::Tensor score = -model.energy_and_grad(x.to(torch::kFloat64)).grad;
  const torch::Tensor bad = ~torch::isfinite(score).all(1);
  const int64_t count = bad.sum().item<int64_t>();
  if (count > 0) {
    const int64_t first = bad.nonzero()[0][0].item<int64_t>();
    throw InputError("the model's score (gradient of its log density) is not finite at " +
                         std::to_string(count) + " of " + std::to_string(x.size(0)) +
                         " data rows (first: row " + std::to_string(first + 1) + ")",
                     "--model");
  }
  return score;
}

bool computable_bandwidth(double h) {
  return h > 0 && std::isfinite(h) && std::isnormal(h * h * h * h);
}

void check_bandwidth(double h) {
  if (!computable_bandwidth(h)) {
    char text[300];
    std::snprintf(text, sizeof text,
                  "RBF bandwidth %g is outside the range the Stein kernel can be computed in (h^4 "
                  "must be a normal double, about 1e-77 < h < 1e77); choose h of the order of the "
                  "distances between rows, or median",
                  h);
    throw InputError(text, "--kernel");
  }
}

void require_finite_kernel(const torch::Tensor& values, const std::string& what,
                           const torch::Tensor& x, const torch::Tensor& score, double h) {
  if (torch::isfinite(values).all().item<bool>()) return;
  char text[300];
  const double scale = h > 0 ? h * h : 1.0;
  if (!torch::isfinite((x - x.mean(0)).pow(2).sum(1) / scale).all().item<bool>()) {
    std::snprintf(text, sizeof text,
                  "%s is not finite: squared distances between data rows overflow (largest "
                  "|x| = %g); rescale the data",
                  what.c_str(), x.abs().max().item<double>());
    throw InputError(text, "--data");
  }
  if (h > 0 || !torch::isfinite(score.pow(2).sum(1)).all().item<bool>()) {
    std::snprintf(text, sizeof text,
                  "%s is not finite: the model's scores (largest |score| = %g) are too large to "
                  "multiply%s",
                  what.c_str(), score.abs().max().item<double>(),
                  h > 0 ? (" at bandwidth " + std::to_string(h)).c_str() : "");
    throw InputError(text, "--model");
  }
  throw RunFailed(what + " is not finite: the critic's training diverged; lower --lr", what);
}

void SteinTestResult::require_finite() const {
  if (std::isfinite(statistic) && std::isfinite(p_value)) return;
  char text[200];
  std::snprintf(text, sizeof text, "the %s statistic (%g) or its p-value (%g) is not finite; no "
                "verdict can be drawn", test.c_str(), statistic, p_value);
  throw RunFailed(text, test);
}

double median_bandwidth(const torch::Tensor& x) {
  const torch::Tensor rows = x.size(0) > 1000 ? x.narrow(0, 0, 1000) : x;
  const int64_t n = rows.size(0);
  const torch::Tensor d = torch::cdist(rows, rows);
  const torch::Tensor upper = torch::triu_indices(n, n, 1);
  const torch::Tensor pairs = d.index({upper[0], upper[1]});
  if (pairs.numel() == 0) return 1.0;
  const double h = pairs.median().item<double>();
  return h > 0 ? h : 1.0;
}

torch::Tensor stein_kernel_matrix(const torch::Tensor& x, const torch::Tensor& score, double h) {
  const double h2 = h * h;
  const int64_t dim = x.size(1);
  const torch::Tensor sq = torch::cdist(x, x).pow(2);
  const torch::Tensor k = torch::exp(-sq / (2 * h2));
  // (s(x_i) − s(x_j))ᵀ(x_i − x_j) = s_iᵀx_i − s_iᵀx_j − s_jᵀx_i + s_jᵀx_j.
  const torch::Tensor sx = score.matmul(x.t());  // [i, j] = s_iᵀx_j
  const torch::Tensor diag = sx.diagonal();
  const torch::Tensor cross = diag.unsqueeze(1) - sx - sx.t() + diag.unsqueeze(0);
  return k *
         (score.matmul(score.t()) + cross / h2 + static_cast<double>(dim) / h2 - sq / (h2 * h2));
}

torch::Tensor stein_kernel_rows(const torch::Tensor& x, const torch::Tensor& score_x,
                                const torch::Tensor& y, const torch::Tensor& score_y, double h) {
  const double h2 = h * h;
  const torch::Tensor r = x - y;
  const torch::Tensor sq = r.pow(2).sum(1);
  const torch::Tensor k = torch::exp(-sq / (2 * h2));
  return k * ((score_x * score_y).sum(1) + ((score_x - score_y) * r).sum(1) / h2 +
              static_cast<double>(x.size(1)) / h2 - sq / (h2 * h2));
}

nlohmann::json SteinTestResult::to_json() const {
  nlohmann::json j = {{"test", test}, {"statistic", statistic}, {"p_value", p_value}, {"n", n}};
  if (bandwidth > 0) j["bandwidth"] = bandwidth;
  if (extra.is_object()) {
    for (const auto& [key, value] : extra.items()) j[key] = value;
  }
  return j;
}

double upper_normal_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

void check_test_data(const Target& model, const torch::Tensor& x, int64_t minimum_rows,
                     const std::string& where) {
  if (x.dim() != 2 || x.size(1) != model.dim()) {
    throw InputError("data have " + std::to_string(x.dim() == 2 ? x.size(1) : 0) +
                         " columns; the model '" + model.name() + "' has dimension " +
                         std::to_string(model.dim()),
                     where);
  }
  if (x.size(0) < minimum_rows) {
    throw InputError("needs at least " + std::to_string(minimum_rows) + " rows, got " +
                         std::to_string(x.size(0)),
                     where);
  }
  if (!torch::isfinite(x).all().item<bool>()) throw InputError("data are not finite", where);
}

}  // namespace ebmc
