#pragma once
/// @file tuning.h
/// What warmup adaptation learns and a kernel is built with: a step size and a diagonal inverse
/// metric per chain. Summaries record it; `ebmc sample --tuning FILE` reuses it.

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

namespace ebmc {

/// Per-chain step size and diagonal inverse metric (M⁻¹, the variance estimate Stan adapts).
struct Tuning {
  torch::Tensor step_size;       ///< [chains]
  torch::Tensor inverse_metric;  ///< [chains, dim], or [1, dim] when shared by all chains

  /// A scalar step size and the identity metric for `chains` chains in `dim` dimensions.
  static Tuning initial(double step_size, int64_t chains, int64_t dim);
};

/// `{"step_size": [per chain], "inverse_metric": [[per chain, per coordinate]]}`.
nlohmann::json tuning_to_json(const Tuning& tuning);

/// Reads what `tuning_to_json` wrote (also the `tuning` member of a `summary.json`). Throws
/// InputError naming `where` unless it holds `chains` positive finite step sizes and a positive
/// finite inverse metric of `chains` × `dim`.
Tuning tuning_from_json(const nlohmann::json& json, int64_t chains, int64_t dim,
                        const std::string& where);

/// Reads a tuning from `path`: a file written by `tuning_to_json` or a `summary.json` (whose
/// `run.tuning` it takes). Throws InputError naming the file.
Tuning read_tuning_file(const std::string& path, int64_t chains, int64_t dim);

}  // namespace ebmc
