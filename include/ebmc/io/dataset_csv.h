#pragma once
/// @file dataset_csv.h
/// Binary-response data sets for logistic regression.

#include <torch/torch.h>

#include <string>
#include <vector>

namespace ebmc {

/// A binary-response data set: y [N] in {0, 1}, predictors X [N, P] (float64).
struct BinaryDataset {
  torch::Tensor y;
  torch::Tensor x;
  std::vector<std::string> predictor_names;
};

/// Reads a CSV whose first column is the response (0 or 1) and whose other columns are numeric
/// predictors, under a header of names (a first row of numbers is data: the columns are then
/// named y, x.1, x.2, …; see `CsvReader::read_column_names`). Throws InputError naming the file
/// and line for a missing or empty file, ragged rows, non-numeric or non-finite fields, a
/// response other than 0/1, or fewer than 2 rows.
BinaryDataset read_binary_dataset(const std::string& path);

/// Points for density estimation: x [N, D] float64 with column names.
struct PointDataset {
  torch::Tensor x;
  std::vector<std::string> names;
};

/// Reads a CSV of numeric, finite rows under a header of column names (e.g. the draws an EBM or a
/// flow is fitted to); a first row of numbers is data, and the columns are then named x.1, x.2, …
/// (`CsvReader::read_column_names`). Throws InputError naming the file and line for a missing or
/// empty file, ragged rows, bad names, non-numeric or non-finite fields, or no rows.
PointDataset read_point_dataset(const std::string& path);

/// Standardizes every predictor column to mean 0 and sd 1 (constant columns are rejected).
torch::Tensor standardize_columns(const torch::Tensor& x, const std::string& origin);

}  // namespace ebmc
