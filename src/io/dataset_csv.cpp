#include "ebmc/io/dataset_csv.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/io/csv_reader.h"

namespace ebmc {

BinaryDataset read_binary_dataset(const std::string& path) {
  CsvReader reader(path);
  // The names become parameter names in every output; without a header: y, x.1, x.2, ….
  std::vector<std::string> header = reader.read_column_names("x");
  if (header.size() < 2) {
    throw InputError("need a response column and at least one predictor", reader.where());
  }
  if (reader.headerless()) {
    header.insert(header.begin(), "y");
    header.pop_back();
  }
  std::vector<double> y;
  std::vector<double> x;
  std::vector<std::string> fields;
  while (reader.next_row(fields)) {
    if (fields.size() != header.size()) {
      throw InputError("row has " + std::to_string(fields.size()) + " fields, expected " +
                           std::to_string(header.size()),
                       reader.where());
    }
    const double response = reader.parse_number(fields[0], header[0]);
    if (response != 0.0 && response != 1.0) {
      throw InputError("response " + header[0] + " must be 0 or 1, got '" + fields[0] + "'",
                       reader.where());
    }
    y.push_back(response);
    for (size_t j = 1; j < fields.size(); ++j) {
      const double value = reader.parse_number(fields[j], header[j]);
      if (!std::isfinite(value)) {
        throw InputError("predictor " + header[j] + " is not finite", reader.where());
      }
      x.push_back(value);
    }
  }
  if (y.size() < 2) throw InputError("need at least 2 rows of data", path);
  BinaryDataset data;
  const int64_t n = static_cast<int64_t>(y.size());
  data.y = torch::tensor(y, torch::kFloat64);
  data.x = torch::tensor(x, torch::kFloat64).reshape({n, static_cast<int64_t>(header.size()) - 1});
  data.predictor_names.assign(header.begin() + 1, header.end());
  return data;
}

PointDataset read_point_dataset(const std::string& path) {
  CsvReader reader(path);
  const std::vector<std::string> header = reader.read_column_names("x");
  std::vector<std::string> fields;
  std::vector<double> values;
  while (reader.next_row(fields)) {
    if (fields.size() != header.size()) {
      throw InputError("row has " + std::to_string(fields.size()) + " fields, expected " +
                           std::to_string(header.size()),
                       reader.where());
    }
    for (size_t j = 0; j < fields.size(); ++j) {
      const double value = reader.parse_number(fields[j], header[j]);
      if (!std::isfinite(value)) {
        throw InputError("column " + header[j] + " is not finite", reader.where());
      }
      values.push_back(value);
    }
  }
  if (values.empty()) throw InputError("no rows of data", path);
  const auto columns = static_cast<int64_t>(header.size());
  return {torch::tensor(values, torch::kFloat64).reshape({-1, columns}), header};
}

torch::Tensor standardize_columns(const torch::Tensor& x, const std::string& origin) {
  torch::Tensor mean = x.mean(0, true);
  torch::Tensor sd = x.std(0, true, true);
  if ((sd <= 0).any().item<bool>()) throw InputError("a predictor column is constant", origin);
  return (x - mean) / sd;
}

}  // namespace ebmc
