#include "ebmc/core/tuning.h"

#include <filesystem>
#include <fstream>

#include "ebmc/core/errors.h"

namespace ebmc {

Tuning Tuning::initial(double step_size, int64_t chains, int64_t dim) {
  return {torch::full({chains}, step_size, torch::kFloat64),
          torch::ones({chains, dim}, torch::kFloat64)};
}

nlohmann::json tuning_to_json(const Tuning& tuning) {
  const torch::Tensor step = tuning.step_size.to(torch::kFloat64).contiguous();
  const torch::Tensor metric =
      tuning.inverse_metric.to(torch::kFloat64).expand({step.size(0), -1}).contiguous();
  nlohmann::json steps = nlohmann::json::array(), rows = nlohmann::json::array();
  for (int64_t c = 0; c < step.size(0); ++c) {
    steps.push_back(step[c].item<double>());
    const double* row = metric[c].data_ptr<double>();
    rows.push_back(std::vector<double>(row, row + metric.size(1)));
  }
  return {{"step_size", steps}, {"inverse_metric", rows}};
}

Tuning tuning_from_json(const nlohmann::json& json, int64_t chains, int64_t dim,
                        const std::string& where) {
  std::vector<double> steps;
  std::vector<std::vector<double>> rows;
  try {
    steps = json.at("step_size").get<std::vector<double>>();
    rows = json.at("inverse_metric").get<std::vector<std::vector<double>>>();
  } catch (const nlohmann::json::exception&) {
    throw InputError("expected step_size [chains] and inverse_metric [chains][dim] numbers", where);
  }
  if (static_cast<int64_t>(steps.size()) != chains || static_cast<int64_t>(rows.size()) != chains) {
    throw InputError("tuning is for " + std::to_string(steps.size()) + " chains, the run has " +
                         std::to_string(chains),
                     where);
  }
  torch::Tensor metric = torch::empty({chains, dim}, torch::kFloat64);
  for (int64_t c = 0; c < chains; ++c) {
    if (!(std::isfinite(steps[c]) && steps[c] > 0)) {
      throw InputError("step sizes must be finite and > 0", where);
    }
    if (static_cast<int64_t>(rows[c].size()) != dim) {
      throw InputError("inverse metric has " + std::to_string(rows[c].size()) +
                           " coordinates, the target has " + std::to_string(dim),
                       where);
    }
    for (int64_t i = 0; i < dim; ++i) {
      if (!(std::isfinite(rows[c][i]) && rows[c][i] > 0)) {
        throw InputError("inverse metric entries must be finite and > 0", where);
      }
      metric[c][i] = rows[c][i];
    }
  }
  return {torch::tensor(steps, torch::kFloat64), metric};
}

Tuning read_tuning_file(const std::string& path, int64_t chains, int64_t dim) {
  if (!std::filesystem::is_regular_file(path)) throw InputError("tuning file not found", path);
  nlohmann::json json;
  try {
    std::ifstream in(path);
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw InputError("not a JSON file", path);
  }
  // A summary.json holds it as run.tuning.
  if (json.is_object() && json.contains("run") && json["run"].is_object()) json = json["run"];
  if (json.is_object() && json.contains("tuning")) json = json["tuning"];
  if (json.is_null()) throw InputError("the run recorded no tuning (sampler without one)", path);
  return tuning_from_json(json, chains, dim, path);
}

}  // namespace ebmc
