#include "ebmc/ebm/ebm_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ebmc/diagnostics/rhat.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/targets/flow_benchmarks.h"
#include "ebmc/targets/mixture.h"

namespace ebmc {

torch::Tensor GridDensity::points() const {
  const auto mesh = torch::meshgrid({axis_x, axis_y}, "ij");
  return torch::stack({mesh[0].flatten(), mesh[1].flatten()}, 1);
}

GridDensity grid_density(const Target& target, double lo_x, double hi_x, double lo_y, double hi_y,
                         int64_t resolution) {
  GridDensity grid;
  const double dx = (hi_x - lo_x) / static_cast<double>(resolution);
  const double dy = (hi_y - lo_y) / static_cast<double>(resolution);
  grid.axis_x = lo_x + dx * (torch::arange(resolution, torch::kFloat64) + 0.5);
  grid.axis_y = lo_y + dy * (torch::arange(resolution, torch::kFloat64) + 0.5);
  grid.cell = dx * dy;
  torch::NoGradGuard no_grad;
  const torch::Tensor log_unnormalized = -target.energy(grid.points());
  grid.log_normalizer = torch::logsumexp(log_unnormalized, 0).item<double>() + std::log(grid.cell);
  grid.log_density = (log_unnormalized - grid.log_normalizer).reshape({resolution, resolution});
  return grid;
}

GridDensity grid_over_data(const Target& target, const torch::Tensor& data, int64_t resolution) {
  const torch::Tensor lo = std::get<0>(data.min(0)), hi = std::get<0>(data.max(0));
  const torch::Tensor margin = 0.15 * (hi - lo);
  return grid_density(target, (lo[0] - margin[0]).item<double>(),
                      (hi[0] + margin[0]).item<double>(), (lo[1] - margin[1]).item<double>(),
                      (hi[1] + margin[1]).item<double>(), resolution);
}

torch::Tensor mode_masses(const Target& truth, const GridDensity& grid) {
  return torch::zeros({true_mode_weights(truth).size(0)}, torch::kFloat64)
      .index_add_(0, mode_regions(truth, grid.points()),
                  grid.log_density.flatten().exp() * grid.cell);
}

torch::Tensor mode_regions(const Target& truth, const torch::Tensor& x) {
  if (const auto* mixture = dynamic_cast<const GaussianMixture*>(&truth)) {
    return mixture->nearest_component(x);
  }
  if (const auto* rings = dynamic_cast<const Rings*>(&truth)) return rings->nearest_ring(x);
  return {};
}

torch::Tensor true_mode_weights(const Target& truth) {
  if (const auto* mixture = dynamic_cast<const GaussianMixture*>(&truth)) {
    return mixture->weights();
  }
  if (dynamic_cast<const Rings*>(&truth) != nullptr) return torch::full({4}, 0.25, torch::kFloat64);
  return {};
}

torch::Tensor region_histogram(const Target& truth, const torch::Tensor& x) {
  const int64_t modes = true_mode_weights(truth).size(0);
  return torch::bincount(mode_regions(truth, x), {}, modes).to(torch::kFloat64) /
         static_cast<double>(x.size(0));
}

double median_squared_log_density_error(const Target& model, const GridDensity& grid,
                                        const Target& truth, const torch::Tensor& test_points) {
  torch::NoGradGuard no_grad;
  const torch::Tensor learned = -model.energy(test_points) - grid.log_normalizer;
  const torch::Tensor exact = -truth.energy(test_points);
  return (learned - exact).pow(2).median().item<double>();
}

double max_rhat(const torch::Tensor& trajectory) {
  const int64_t steps = trajectory.size(0);
  const torch::Tensor kept = trajectory.narrow(0, steps / 2, steps - steps / 2);
  double worst = 0;
  for (const ChainMatrix& coordinate : per_parameter(kept)) {
    const double r = rhat(coordinate);
    if (std::isfinite(r)) worst = std::max(worst, r);
  }
  return worst;
}

namespace {

/// States per chain that the negatives' R-hat is computed from (the second half of them).
constexpr int64_t kRhatStates = 128;

}  // namespace

nlohmann::json ebm_metrics(const EbmTarget& model, EbmMethod& method, const torch::Tensor& chains,
                           const torch::Tensor& data, const Target* truth, int64_t resolution,
                           Rng& rng, GridDensity* grid_out) {
  nlohmann::json out = nlohmann::json::object();
  const int64_t dim = data.size(1);
  // Evaluation passes of the method: the first pass's chain starts and negatives, and the
  // trajectories (none for sample-free methods).
  method.set_evaluation(true);
  torch::Tensor evaluated = chains.clone();
  NegativeBatch pass;
  std::vector<torch::Tensor> states;  // every recorded MCMC state, over the passes
  int64_t passes = 0;
  if (!method.sample_free()) {
    torch::NoGradGuard no_grad;
    // Passes until a method with persistent chains has recorded kRhatStates states per chain
    // (one pass of ULA's 128 steps; three of flowMC-EBM's 16 cycles of 3 moves), so that R-hat
    // is computed on the same number of states, the second half of them; chains that restart
    // every iteration (CoopFlow, NT-EBM) get one pass.
    const int64_t most_passes = method.persistent_chains() ? 64 : 1;
    while (passes < most_passes) {
      NegativeBatch next = method.negatives(model, evaluated, 0, 1, rng);
      ++passes;
      states.insert(states.end(), next.trajectory.begin(), next.trajectory.end());
      if (passes == 1) pass = std::move(next);  // the weight errors below are the first pass's
      if (states.empty() || static_cast<int64_t>(states.size()) >= kRhatStates) break;
    }
    if (static_cast<int64_t>(states.size()) > kRhatStates) {
      states.erase(states.begin(), states.end() - kRhatStates);
    }
  }
  const int64_t rhat_chains = std::min<int64_t>(128, chains.size(0));
  if (states.size() >= 4) {
    torch::Tensor trajectory = torch::stack(states).narrow(1, 0, rhat_chains);
    out["negatives_max_rhat"] = max_rhat(trajectory);
    out["negatives_rhat_chains"] = rhat_chains;
    out["negatives_rhat_steps"] = trajectory.size(0);
    out["negatives_rhat_passes"] = passes;
  }
  method.set_evaluation(false);
  if (dim != 2) return out;

  const GridDensity grid = grid_over_data(model, data, resolution);
  out["grid"] = {{"x", {grid.axis_x[0].item<double>(), grid.axis_x[-1].item<double>()}},
                 {"y", {grid.axis_y[0].item<double>(), grid.axis_y[-1].item<double>()}},
                 {"resolution", resolution}};
  if (grid_out != nullptr) *grid_out = grid;
  if (truth == nullptr) return out;
  const auto* exact = dynamic_cast<const ExactSampler*>(truth);
  if (exact != nullptr) {
    Rng test_rng(20231);  // fixed test points: the metric compares runs, not seeds
    out["median_sq_log_density_error"] =
        median_squared_log_density_error(model, grid, *truth, exact->sample_exact(10000, test_rng));
  }
  const torch::Tensor weights = true_mode_weights(*truth);
  if (!weights.defined()) return out;
  const torch::Tensor mass = mode_masses(*truth, grid);
  const torch::Tensor learned = mass / mass.sum();
  auto as_list = [](const torch::Tensor& t) {
    std::vector<double> v(static_cast<size_t>(t.numel()));
    for (int64_t i = 0; i < t.numel(); ++i) v[static_cast<size_t>(i)] = t[i].item<double>();
    return v;
  };
  out["mode_weights"] = as_list(learned);
  out["true_mode_weights"] = as_list(weights);
  out["mode_weight_mse"] = (learned - weights).pow(2).mean().item<double>();
  if (pass.x.defined()) {
    out["init_weight_mse"] =
        (region_histogram(*truth, pass.start) - learned).pow(2).mean().item<double>();
    out["negatives_weight_mse"] =
        (region_histogram(*truth, pass.x) - learned).pow(2).mean().item<double>();
  }
  return out;
}

std::vector<std::string> add_training_warnings(nlohmann::json& metrics) {
  std::vector<std::string> warnings;
  nlohmann::json nonfinite = nlohmann::json::array();
  char text[300];
  for (auto& [key, value] : metrics.items()) {
    if (value.is_number_float() && !std::isfinite(value.get<double>())) {
      nonfinite.push_back(key);
      continue;
    }
    const bool rhat = key.size() >= 4 && key.compare(key.size() - 4, 4, "rhat") == 0;
    if (rhat && value.is_number() && value.get<double>() > 1.01) {
      std::snprintf(text, sizeof text,
                    "%s is %.3g: the model's samples have not mixed, so samples from it and the "
                    "metrics on them are unreliable; train with more sampler steps per iteration",
                    key.c_str(), value.get<double>());
      warnings.push_back(text);
    }
  }
  if (metrics.contains("mode_weights") && metrics.contains("true_mode_weights")) {
    const auto learned = metrics.at("mode_weights").get<std::vector<double>>();
    const auto truth = metrics.at("true_mode_weights").get<std::vector<double>>();
    double worst = 0.0;
    for (size_t k = 0; k < learned.size() && k < truth.size(); ++k) {
      worst = std::max(worst, std::fabs(learned[k] - truth[k]));
    }
    if (worst > 0.1 || !std::isfinite(worst)) {
      const auto list = [&text](const std::vector<double>& values) {
        std::string out = "[";
        for (size_t k = 0; k < values.size(); ++k) {
          std::snprintf(text, sizeof text, "%s%.3g", k ? ", " : "", values[k]);
          out += text;
        }
        return out + "]";
      };
      warnings.push_back("the learned mode weights " + list(learned) + " are far from the true " +
                         list(truth) +
                         ": the model misses or over-weights modes; train longer, or with a "
                         "sampler that moves between modes");
    }
  }
  for (const auto& key : nonfinite) {
    warnings.push_back("metric " + key.get<std::string>() +
                       " is not finite: training diverged; no value is reported for it");
  }
  if (!nonfinite.empty()) metrics["nonfinite_metrics"] = nonfinite;
  if (!warnings.empty()) metrics["warnings"] = warnings;
  return warnings;
}

}  // namespace ebmc
