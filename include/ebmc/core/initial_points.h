#pragma once
/// @file initial_points.h
/// Stan-style random initial points, retried where the target is not finite.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// Initial points of a run and how many random draws each chain took.
struct InitialPoints {
  torch::Tensor x;                ///< [chains, dim]
  std::vector<int64_t> attempts;  ///< per chain: 1 when the first draw was usable
};

/// As Stan initializes: every coordinate uniform on (−radius, radius), redrawn (only the chains
/// that need it) until the energy and its gradient are finite, up to `max_attempts` draws per
/// chain. `given` [chains, dim] holds user initial values (NaN where none: those coordinates are
/// drawn); a chain whose values are all given is not redrawn. Each chain draws from its own row
/// of `rng`, so its points depend on the seed and its index alone. Throws InputError naming the
/// first chain (numbered from `first_chain` + 1) that found no finite point, and how many were
/// tried.
InitialPoints initial_points(const Target& target, int64_t chains, double radius, Rng& rng,
                             const torch::Tensor& given = {}, int64_t first_chain = 0,
                             int64_t max_attempts = 100);

}  // namespace ebmc
