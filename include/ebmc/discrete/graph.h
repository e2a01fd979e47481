#pragma once
/// @file graph.h
/// Sparse pairwise couplings for lattice and random-graph models: neighbour lists padded to the
/// largest degree, so that local fields are one gather per batch (O(degree) per site).

#include <torch/torch.h>

#include <cstdint>

#include "ebmc/core/rng.h"

namespace ebmc {

/// Symmetric couplings J (zero diagonal) stored as neighbour lists.
struct Couplings {
  torch::Tensor neighbours;  ///< [D, max_degree] int64 (padding points at site 0)
  torch::Tensor weights;     ///< [D, max_degree] float64 J_ij (0 for padding)
  /// J [D, D] when the graph is dense (degree above D/4: learned couplings), so that the sums
  /// are one matrix product instead of a gather of D × degree values per chain; else undefined.
  torch::Tensor matrix;

  /// Number of sites.
  int64_t sites() const { return neighbours.size(0); }
  /// From a dense symmetric [D, D] matrix with zero diagonal.
  static Couplings from_dense(const torch::Tensor& j);
  /// The dense [D, D] matrix (for tests and small models).
  torch::Tensor dense() const;
  /// Σ_j J_ij v_j for every site: `v` [chains, D] → [chains, D], or one-hot [chains, D, K] →
  /// [chains, D, K].
  torch::Tensor field(const torch::Tensor& v) const;
  /// The same sum for one site per chain (`sites` [chains]): [chains] or [chains, K].
  torch::Tensor field_at(const torch::Tensor& v, const torch::Tensor& sites) const;
};

/// θ × the adjacency matrix of a periodic rows × cols lattice (each distinct edge once, so a
/// lattice with 2 rows or columns has single edges across the wrap).
Couplings periodic_lattice(int64_t rows, int64_t cols, double theta);

/// An Erdős–Rényi graph on n nodes with edge probability degree / (n − 1) and edge weights
/// N(0, weight_sd²), drawn from `rng`.
Couplings erdos_renyi(int64_t n, double degree, double weight_sd, Rng& rng);

}  // namespace ebmc
