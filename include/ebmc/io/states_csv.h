#pragma once
/// @file states_csv.h
/// Reading discrete states from CSV: what `ebmc sample --save-states` writes (columns `s.1 …
/// s.D` among others) or a plain table with a header and one column per site, values 0/1
/// (binary) or 0 … K−1 (categorical).

#include <torch/torch.h>

#include <string>

#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// The site values of `path`, [N, D] float64: the `s.i` columns when there are any (a
/// `--save-states` file), else every column (the CSV reader's errors, naming the file).
torch::Tensor read_site_columns(const std::string& path);

/// The states of `path` shaped for `target` ([N, D] 0/1, or one-hot [N, D, K]). Throws
/// InputError naming the file for a wrong number of site columns or a value that is not an
/// integer in 0 … K−1 (and the CSV reader's errors).
torch::Tensor read_states_csv(const std::string& path, const DiscreteTarget& target);

/// `states` (binary [N, D] or one-hot [N, D, K]) as CSV text with the header `s.1,…,s.D` and
/// one row per state holding 0/1 or the value 0 … K−1: what `read_states_csv` reads.
std::string states_csv(const torch::Tensor& states);

}  // namespace ebmc
