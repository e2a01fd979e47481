#include "ebmc/discrete/rbm.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "ebmc/core/errors.h"
#include "ebmc/core/row_matmul.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/io/atomic_file.h"

namespace ebmc {

Rbm::Rbm(torch::Tensor weights, torch::Tensor visible_bias, torch::Tensor hidden_bias)
    : weights_(weights.to(torch::kFloat64).contiguous()),
      visible_bias_(visible_bias.to(torch::kFloat64)),
      hidden_bias_(hidden_bias.to(torch::kFloat64)) {
  if (weights_.dim() != 2 || weights_.size(0) < 1 || weights_.size(1) < 1) {
    throw InputError("RBM weights must be a non-empty [hidden, visible] matrix", "rbm");
  }
  if (visible_bias_.dim() != 1 || visible_bias_.size(0) != weights_.size(1)) {
    throw InputError("RBM visible bias b must have one entry per visible unit", "rbm");
  }
  if (hidden_bias_.dim() != 1 || hidden_bias_.size(0) != weights_.size(0)) {
    throw InputError("RBM hidden bias c must have one entry per hidden unit", "rbm");
  }
  if (!(torch::isfinite(weights_).all().item<bool>() &&
        torch::isfinite(visible_bias_).all().item<bool>() &&
        torch::isfinite(hidden_bias_).all().item<bool>())) {
    throw InputError("RBM parameters must be finite", "rbm");
  }
}

Rbm Rbm::random(int64_t visible, int64_t hidden, Rng& rng) {
  if (visible < 1 || hidden < 1) throw InputError("visible and hidden must be >= 1", "rbm");
  torch::Tensor w = 0.05 * rng.normal({hidden, visible});
  torch::Tensor b = rng.normal({visible});
  torch::Tensor c = rng.normal({hidden});
  return Rbm(w, b, c);
}

namespace {

torch::Tensor json_vector(const nlohmann::json& j, const std::string& key,
                          const std::string& path) {
  if (!j.contains(key) || !j[key].is_array()) {
    throw InputError("missing array \"" + key + "\"", path);
  }
  std::vector<double> values;
  for (const auto& v : j[key]) {
    if (!v.is_number()) throw InputError("non-numeric entry in \"" + key + "\"", path);
    values.push_back(v.get<double>());
  }
  return torch::tensor(values, torch::kFloat64);
}

}  // namespace

Rbm Rbm::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open RBM file", path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("malformed JSON: ") + e.what(), path);
  }
  if (!j.is_object() || !j.contains("W") || !j["W"].is_array() || j["W"].empty()) {
    throw InputError("missing non-empty matrix \"W\"", path);
  }
  std::vector<torch::Tensor> rows;
  size_t width = 0;
  for (size_t r = 0; r < j["W"].size(); ++r) {
    nlohmann::json row = {{"row", j["W"][r]}};
    torch::Tensor t = json_vector(row, "row", path);
    if (r == 0) width = static_cast<size_t>(t.size(0));
    if (static_cast<size_t>(t.size(0)) != width || width == 0) {
      throw InputError("row " + std::to_string(r + 1) + " of \"W\" has " +
                           std::to_string(t.size(0)) + " entries, expected " +
                           std::to_string(width),
                       path);
    }
    rows.push_back(t);
  }
  try {
    return Rbm(torch::stack(rows), json_vector(j, "b", path), json_vector(j, "c", path));
  } catch (const InputError& e) {
    throw InputError(e.what(), path);
  }
}

void Rbm::save(const std::string& path) const {
  nlohmann::json j;
  const torch::Tensor w = weights_.contiguous();
  j["W"] = nlohmann::json::array();
  for (int64_t r = 0; r < w.size(0); ++r) {
    const torch::Tensor row = w[r].contiguous();
    j["W"].push_back(
        std::vector<double>(row.data_ptr<double>(), row.data_ptr<double>() + row.numel()));
  }
  const torch::Tensor b = visible_bias_.contiguous(), c = hidden_bias_.contiguous();
  j["b"] = std::vector<double>(b.data_ptr<double>(), b.data_ptr<double>() + b.numel());
  j["c"] = std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
  write_file_atomically(path, j.dump() + "\n");
}

torch::Tensor Rbm::hidden_probabilities(const torch::Tensor& x) const {
  return torch::sigmoid(row_matmul(x, weights_.t()) + hidden_bias_);
}

torch::Tensor Rbm::visible_probabilities(const torch::Tensor& h) const {
  return torch::sigmoid(row_matmul(h, weights_) + visible_bias_);
}

torch::Tensor Rbm::compute_log_prob(const torch::Tensor& x) const {
  return torch::softplus(row_matmul(x, weights_.t()) + hidden_bias_).sum(1) +
         (x * visible_bias_).sum(1);
}

LogProbAndGrad Rbm::compute_log_prob_and_grad(const torch::Tensor& x) const {
  const torch::Tensor pre = row_matmul(x, weights_.t()) + hidden_bias_;
  return {torch::softplus(pre).sum(1) + (x * visible_bias_).sum(1),
          row_matmul(torch::sigmoid(pre), weights_) + visible_bias_};
}

EBMC_REGISTER(register_discrete_target<RbmOptions>(
    "rbm", "binary RBM, hidden units summed out", [](const RbmOptions& o) {
      if (!o.file().empty()) return std::make_unique<Rbm>(Rbm::load(o.file()));
      Rng rng(static_cast<uint64_t>(o.seed()));
      return std::make_unique<Rbm>(Rbm::random(o.visible(), o.hidden(), rng));
    }));

}  // namespace ebmc
