#include "ebmc/learned/learned_factor.h"

#include <algorithm>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/core/tensor_values.h"

namespace ebmc {

namespace {

/// c of L = (I + tril(cP, −1)) diag(exp(c diag P)) (see `LearnedFactor`).
constexpr double kFactorRate = 30.0;

}  // namespace

void PlainFactor::times(const double* v, double* out) const {
  if (empty()) {
    std::copy(v, v + dim, out);
    return;
  }
  // Column by column (Lᵀ's rows, contiguous): out += v_j L[:, j], a loop the compiler vectorizes
  // (a row-by-row dot product is a chain of dependent additions).
  std::fill(out, out + dim, 0.0);
  for (int64_t j = 0; j < dim; ++j) {
    const double* column = upper.data() + j * dim;
    const double vj = v[j];
    for (int64_t i = j; i < dim; ++i) out[i] += column[i] * vj;
  }
}

void PlainFactor::transposed_times(double* g) const {
  if (empty()) return;
  // (Lᵀg) = Σ_i g_i L[i, :], row by row of L.
  thread_local std::vector<double> sum;
  sum.assign(static_cast<size_t>(dim), 0.0);
  for (int64_t i = 0; i < dim; ++i) {
    const double* row = lower.data() + i * dim;
    const double gi = g[i];
    for (int64_t j = 0; j <= i; ++j) sum[static_cast<size_t>(j)] += row[j] * gi;
  }
  std::copy(sum.begin(), sum.end(), g);
}

void PlainFactor::solve(double* v) const {
  if (empty()) return;
  for (int64_t i = 0; i < dim; ++i) {
    const double* l = lower.data() + i * dim;
    double sum = v[i];
    for (int64_t j = 0; j < i; ++j) sum -= l[j] * v[j];
    v[i] = sum / l[i];
  }
}

void PlainFactor::transposed_solve(double* g) const {
  if (empty()) return;
  // Lᵀ is upper-triangular: solve from the last coordinate up.
  for (int64_t j = dim - 1; j >= 0; --j) {
    double sum = g[j];
    for (int64_t i = j + 1; i < dim; ++i) sum -= lower[i * dim + j] * g[i];
    g[j] = sum / lower[j * dim + j];
  }
}

LearnedFactor LearnedFactor::identity(int64_t dim) {
  LearnedFactor out;
  out.dim_ = dim;
  return out;
}

LearnedFactor::LearnedFactor(torch::nn::Module& owner, int64_t dim)
    : raw_(owner.register_parameter("factor", torch::zeros({dim, dim}, torch::kFloat64))),
      dim_(dim) {}

torch::Tensor LearnedFactor::matrix() const {
  if (!present()) return torch::eye(dim_, torch::kFloat64);
  const torch::Tensor p = kFactorRate * raw_;
  const torch::Tensor scales = torch::exp(torch::diagonal(p));
  return torch::tril(p, -1) * scales.unsqueeze(0) + torch::diag(scales);
}

torch::Tensor LearnedFactor::current() const {
  if (torch::GradMode::is_enabled()) return matrix();
  // P changes in place (optimizer steps, `set`, `fit`: its version counter moves) or gets new
  // storage (loading), as `LearnedKernel::weights_changed` tells weights apart.
  const std::pair<const void*, int64_t> now{raw_.data_ptr(), static_cast<int64_t>(raw_._version())};
  if (now != cached_for_) {
    cached_ = matrix();
    cached_for_ = now;
  }
  return cached_;
}

torch::Tensor LearnedFactor::log_det() const {
  if (!present()) return torch::zeros({}, torch::kFloat64);
  return kFactorRate * torch::diagonal(raw_).sum();
}

void LearnedFactor::set(const torch::Tensor& lower, const std::string& where) {
  if (!present()) throw InputError("this sampler has no preconditioner", where);
  if (!lower.sizes().equals({dim_, dim_})) {
    throw InputError(
        "the preconditioner must be " + std::to_string(dim_) + " x " + std::to_string(dim_), where);
  }
  const torch::Tensor diagonal = torch::diagonal(lower).to(torch::kFloat64);
  if (!(diagonal > 0).all().item<bool>()) {
    throw InputError("the preconditioner's diagonal must be positive", where);
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor raw = torch::tril(lower.to(torch::kFloat64), -1) / diagonal.unsqueeze(0) +
                            torch::diag(torch::log(diagonal));
  raw_.copy_(raw / kFactorRate);
}

void LearnedFactor::fit(const torch::Tensor& draws, const std::string& where) {
  if (!present()) throw InputError("this sampler has no preconditioner", where);
  if (draws.size(0) < 2) throw InputError("fitting L needs at least 2 chains", where);
  torch::NoGradGuard no_grad;
  // (torch::cov returns a scalar for one variable.)
  torch::Tensor covariance =
      torch::cov(draws.detach().to(torch::kFloat64).t()).reshape({dim_, dim_});
  const double ridge = 1e-10 * torch::diagonal(covariance).mean().item<double>();
  covariance = covariance + ridge * torch::eye(dim_, torch::kFloat64);
  const auto [lower, info] = torch::linalg_cholesky_ex(covariance);
  if (info.item<int64_t>() != 0 || !torch::isfinite(lower).all().item<bool>()) return;
  set(lower, where);
}

void LearnedFactor::freeze() {
  if (present()) raw_.set_requires_grad(false);
}

torch::Tensor LearnedFactor::times(const torch::Tensor& z) const {
  return present() ? z.matmul(current().t()) : z;
}

torch::Tensor LearnedFactor::transposed_times(const torch::Tensor& g) const {
  return present() ? g.matmul(current()) : g;
}

torch::Tensor LearnedFactor::solve(const torch::Tensor& x) const {
  // y Lᵀ = x (row-major again: the fused paths read rows in place).
  return present() ? torch::linalg_solve_triangular(current().t(), x, /*upper=*/true,
                                                    /*left=*/false)
                         .contiguous()
                   : x;
}

torch::Tensor LearnedFactor::transposed_solve(const torch::Tensor& g) const {
  // h L = g.
  return present() ? torch::linalg_solve_triangular(current(), g, /*upper=*/false, /*left=*/false)
                         .contiguous()
                   : g;
}

PlainFactor LearnedFactor::plain() const {
  PlainFactor out;
  out.dim = dim_;
  if (!present()) return out;
  torch::NoGradGuard no_grad;
  const torch::Tensor l = current();
  out.lower = to_vector(l.contiguous());
  out.upper = to_vector(l.t().contiguous());
  out.log_det = log_det().item<double>();
  return out;
}

}  // namespace ebmc
