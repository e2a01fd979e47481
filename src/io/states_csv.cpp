#include "ebmc/io/states_csv.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/io/dataset_csv.h"

namespace ebmc {

torch::Tensor read_site_columns(const std::string& path) {
  const PointDataset table = read_point_dataset(path);
  std::vector<int64_t> columns;
  for (size_t c = 0; c < table.names.size(); ++c) {
    if (table.names[c].rfind("s.", 0) == 0) columns.push_back(static_cast<int64_t>(c));
  }
  if (columns.empty()) return table.x;
  return table.x.index_select(1, torch::tensor(columns, torch::kInt64));
}

torch::Tensor read_states_csv(const std::string& path, const DiscreteTarget& target) {
  const torch::Tensor x = read_site_columns(path);
  const int64_t sites = target.num_sites(), values = target.num_values();
  if (x.size(1) != sites) {
    throw InputError("has " + std::to_string(x.size(1)) + " site columns; the target has " +
                         std::to_string(sites) + " sites",
                     path);
  }
  const bool integral = torch::equal(x, x.round());
  if (!integral || (x < 0).any().item<bool>() || (x > values - 1).any().item<bool>()) {
    throw InputError("site values must be integers in 0.." + std::to_string(values - 1), path);
  }
  if (!target.categorical()) return x.to(torch::kFloat64).contiguous();
  return torch::one_hot(x.to(torch::kInt64), values).to(torch::kFloat64);
}

std::string states_csv(const torch::Tensor& states) {
  const torch::Tensor values =
      (states.dim() == 3 ? states.argmax(-1) : states).to(torch::kInt64).contiguous();
  std::string text;
  for (int64_t i = 0; i < values.size(1); ++i) text += (i ? ",s." : "s.") + std::to_string(i + 1);
  text += "\n";
  const int64_t* v = values.data_ptr<int64_t>();
  for (int64_t r = 0; r < values.size(0); ++r) {
    for (int64_t i = 0; i < values.size(1); ++i) {
      if (i) text += ',';
      text += std::to_string(v[r * values.size(1) + i]);
    }
    text += '\n';
  }
  return text;
}

}  // namespace ebmc
