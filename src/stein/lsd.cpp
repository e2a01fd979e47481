#include "ebmc/stein/lsd.h"

#include <cmath>
#include <limits>

#include "ebmc/core/errors.h"

namespace ebmc {

torch::Tensor stein_values(const torch::Tensor& x, const torch::Tensor& f,
                           const torch::Tensor& score, bool exact_trace, Rng& rng,
                           bool create_graph) {
  torch::Tensor trace;
  if (exact_trace) {
    trace = torch::zeros({x.size(0)}, x.options().requires_grad(false));
    for (int64_t i = 0; i < x.size(1); ++i) {
      const torch::Tensor g = torch::autograd::grad({f.select(1, i).sum()}, {x}, {},
                                                    /*retain_graph=*/true, create_graph)[0];
      trace = trace + g.select(1, i);
    }
  } else {
    const torch::Tensor eps = rng.normal(f.sizes());
    const torch::Tensor g =
        torch::autograd::grad({(f * eps).sum()}, {x}, {}, /*retain_graph=*/true, create_graph)[0];
    trace = (g * eps).sum(1);
  }
  return (score * f).sum(1) + trace;
}

torch::Tensor lsd_critic_gain(Mlp& critic, const torch::Tensor& x, const torch::Tensor& score,
                              double lambda, double dropout, bool power, Rng& rng,
                              const BatchShare& share) {
  torch::AutoGradMode enable(true);
  const torch::Tensor xg = x.detach().requires_grad_(true);
  const torch::Tensor f = critic->forward(xg, dropout, rng);
  const torch::Tensor values = stein_values(xg, f, score, /*exact_trace=*/false, rng, true);
  if (power && !share.whole()) {
    throw std::logic_error("lsd_critic_gain: the power objective has no data-parallel form");
  }
  const torch::Tensor penalty = lambda * share.mean(f.pow(2).sum(1));
  return power ? values.mean() / (values.std() + 1e-8) - penalty : share.mean(values) - penalty;
}

namespace {

void check_lsd_options(const LsdOptions& o) {
  if (o.hidden < 1 || o.layers < 1)
    throw InputError("critic needs hidden >= 1, layers >= 1", "--critic");
  if (!(o.dropout >= 0 && o.dropout < 1)) throw InputError("dropout must be in [0, 1)", "--critic");
  if (!(o.lambda > 0 && std::isfinite(o.lambda)))
    throw InputError("lambda must be > 0", "--lambda");
  if (o.steps < 1) throw InputError("needs at least 1 step", "--steps");
  if (!(o.learning_rate > 0 && std::isfinite(o.learning_rate))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (o.validate_every < 1) throw InputError("validate_every must be >= 1", "--validate-every");
  if (!(o.train_fraction > 0 && o.validation_fraction > 0 &&
        o.train_fraction + o.validation_fraction < 1)) {
    throw InputError("train and validation fractions must be > 0 and leave a test split",
                     "--split");
  }
}

/// mean and sd (n − 1) of `values`.
std::pair<double, double> mean_sd(const torch::Tensor& values) {
  return {values.mean().item<double>(), values.numel() > 1 ? values.std().item<double>() : 0.0};
}

/// Stein values of the critic (no dropout) on `x` with the exact trace, detached.
torch::Tensor evaluate(Mlp& critic, const torch::Tensor& x, const torch::Tensor& score, Rng& rng) {
  torch::AutoGradMode enable(true);
  const torch::Tensor xg = x.detach().requires_grad_(true);
  const torch::Tensor f = critic->forward(xg);
  return stein_values(xg, f, score, /*exact_trace=*/true, rng, /*create_graph=*/false).detach();
}

}  // namespace

SteinTestResult lsd_test(const Target& model, const torch::Tensor& data, const LsdOptions& options,
                         Rng& rng) {
  check_lsd_options(options);
  check_test_data(model, data, 10, "--data");
  const torch::Tensor x = data.to(torch::kFloat64);
  const int64_t n = x.size(0), dim = x.size(1);
  const int64_t n_train = std::max<int64_t>(
      2, static_cast<int64_t>(std::floor(options.train_fraction * static_cast<double>(n))));
  const int64_t n_val = std::max<int64_t>(
      2, static_cast<int64_t>(std::floor(options.validation_fraction * static_cast<double>(n))));
  const int64_t n_test = n - n_train - n_val;
  if (n_test < 2) throw InputError("too few rows for train, validation and test splits", "--data");
  torch::Tensor score;
  {
    torch::NoGradGuard no_grad;
    score = model_score(model, x);
  }
  const torch::Tensor x_train = x.narrow(0, 0, n_train), s_train = score.narrow(0, 0, n_train);
  const torch::Tensor x_val = x.narrow(0, n_train, n_val), s_val = score.narrow(0, n_train, n_val);
  const torch::Tensor x_test = x.narrow(0, n_train + n_val, n_test);
  const torch::Tensor s_test = score.narrow(0, n_train + n_val, n_test);

  Mlp critic(dim, options.hidden, options.layers, dim, Activation::kSilu, rng);
  torch::optim::Adam adam(
      critic->parameters(),
      torch::optim::AdamOptions(options.learning_rate).weight_decay(options.weight_decay));
  const bool power = options.objective == LsdObjective::kPower;
  // Validation statistic: μ − σ (discrepancy, appendix A) or μ/σ (power, A.1).
  const auto validation_statistic = [&](const torch::Tensor& values) {
    const auto [m, s] = mean_sd(values);
    return power ? m / std::max(s, 1e-12) : m - s;
  };
  double best = -std::numeric_limits<double>::infinity();
  int64_t best_step = 0;
  std::vector<torch::Tensor> best_parameters;
  for (const torch::Tensor& p : critic->parameters()) best_parameters.push_back(p.detach().clone());
  const int64_t batch = options.batch > 0 ? std::min(options.batch, n_train) : n_train;
  for (int64_t step = 1; step <= options.steps; ++step) {
    torch::AutoGradMode enable(true);
    torch::Tensor xb = x_train, sb = s_train;
    if (batch < n_train) {
      const torch::Tensor rows = rng.random_rows(n_train, batch);
      xb = x_train.index_select(0, rows);
      sb = s_train.index_select(0, rows);
    }
    const torch::Tensor gain =
        lsd_critic_gain(critic, xb, sb, options.lambda, options.dropout, power, rng);
    adam.zero_grad();
    (-gain).backward();
    if (std::isfinite(gain.item<double>())) adam.step();
    if (step % options.validate_every == 0 || step == options.steps) {
      const double v = validation_statistic(evaluate(critic, x_val, s_val, rng));
      if (std::isfinite(v) && v > best) {
        best = v;
        best_step = step;
        torch::NoGradGuard no_grad;
        const auto parameters = critic->parameters();
        for (size_t k = 0; k < parameters.size(); ++k) best_parameters[k].copy_(parameters[k]);
      }
    }
  }
  {
    torch::NoGradGuard no_grad;
    const auto parameters = critic->parameters();
    for (size_t k = 0; k < parameters.size(); ++k) parameters[k].copy_(best_parameters[k]);
  }
  const torch::Tensor values = evaluate(critic, x_test, s_test, rng);
  require_finite_kernel(values, "the critic's Stein values", x_test, s_test, 0.0);
  const auto [mean, sd] = mean_sd(values);
  const double root_n = std::sqrt(static_cast<double>(n_test));
  const double z = sd > 0 ? root_n * mean / sd : (mean > 0 ? INFINITY : 0.0);
  SteinTestResult result;
  result.test = "lsd";
  result.statistic = mean;
  result.p_value = upper_normal_tail(z);
  result.n = n_test;
  result.extra = {{"lsd", mean},
                  {"stderr", sd / root_n},
                  {"z", z},
                  {"objective", power ? "power" : "discrepancy"},
                  {"lambda", options.lambda},
                  {"train_rows", n_train},
                  {"validation_rows", n_val},
                  {"best_step", best_step},
                  {"validation_statistic", best}};
  result.require_finite();
  return result;
}

std::pair<double, double> optimal_lsd(const Target& model, const Target& truth,
                                      const torch::Tensor& x, double lambda) {
  torch::NoGradGuard no_grad;
  const torch::Tensor gap =
      (model_score(model, x) - model_score(truth, x)).pow(2).sum(1) / (2 * lambda);
  const auto [mean, sd] = mean_sd(gap);
  return {mean, sd / std::sqrt(static_cast<double>(gap.numel()))};
}

}  // namespace ebmc
