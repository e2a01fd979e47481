#pragma once
/// @file data_sets.h
/// What `--data` names for flow and EBM training: a CSV file of points, or a target that draws
/// exact samples (`two_to_one`, `rings`, `gaussian_mixture_4:d=32`, …).

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ebmc/core/target.h"

namespace ebmc {

/// Training data and, when it was drawn from a target, that target (the true density, for
/// metrics such as grenioux-2023's log-density error and mode weights).
struct TrainingData {
  torch::Tensor x;                 ///< [rows, dim] float64
  std::vector<std::string> names;  ///< one per column
  std::string source;              ///< the `--data` argument
  std::shared_ptr<Target> truth;   ///< the generating target, or null for a file
};

/// `data` as a file (when one exists at that path: a CSV with a header, read_point_dataset) or
/// as a target spec drawn `rows` times with a one-stream Rng(`seed`). Throws InputError at
/// `--data` for a missing file that is not a registered target either, or for a target
/// without an exact sampler.
TrainingData load_training_data(const std::string& data, int64_t rows, uint64_t seed);

}  // namespace ebmc
