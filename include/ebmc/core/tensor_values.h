#pragma once
/// @file tensor_values.h
/// A tensor's values as a plain vector, for the raw-memory (fused) paths.

#include <torch/torch.h>

#include <vector>

namespace ebmc {

/// Copies a tensor's values (any shape and floating dtype, converted to float64, without its
/// autograd history) into a vector, in row-major order.
std::vector<double> to_vector(const torch::Tensor& t);

}  // namespace ebmc
