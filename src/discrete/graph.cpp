#include "ebmc/discrete/graph.h"

#include <algorithm>

namespace ebmc {

Couplings Couplings::from_dense(const torch::Tensor& j) {
  const int64_t d = j.size(0);
  const torch::Tensor nonzero = j != 0;
  const int64_t max_degree = std::max<int64_t>(nonzero.sum(1).max().item<int64_t>(), 1);
  Couplings c{torch::zeros({d, max_degree}, torch::kInt64),
              torch::zeros({d, max_degree}, torch::kFloat64), torch::Tensor()};
  auto index = c.neighbours.accessor<int64_t, 2>();
  auto weight = c.weights.accessor<double, 2>();
  const torch::Tensor dense = j.to(torch::kFloat64).contiguous();
  auto a = dense.accessor<double, 2>();
  for (int64_t i = 0; i < d; ++i) {
    int64_t k = 0;
    for (int64_t n = 0; n < d; ++n) {
      if (a[i][n] != 0) {
        index[i][k] = n;
        weight[i][k] = a[i][n];
        ++k;
      }
    }
  }
  if (4 * max_degree > d) c.matrix = dense;
  return c;
}

torch::Tensor Couplings::dense() const {
  const int64_t d = sites();
  return torch::zeros({d, d}, torch::kFloat64).scatter_add_(1, neighbours, weights);
}

torch::Tensor Couplings::field(const torch::Tensor& v) const {
  if (matrix.defined()) return v.dim() == 2 ? v.matmul(matrix) : torch::matmul(matrix, v);
  const int64_t chains = v.size(0), d = sites(), degree = neighbours.size(1);
  const torch::Tensor gathered = v.index_select(1, neighbours.reshape({-1}));
  if (v.dim() == 2) return (gathered.view({chains, d, degree}) * weights).sum(2);
  return (gathered.view({chains, d, degree, v.size(2)}) * weights.unsqueeze(-1)).sum(2);
}

torch::Tensor Couplings::field_at(const torch::Tensor& v, const torch::Tensor& sites) const {
  if (matrix.defined()) {
    const torch::Tensor rows = matrix.index_select(0, sites);  // [chains, D]
    if (v.dim() == 2) return (rows * v).sum(1);
    return rows.unsqueeze(1).bmm(v).squeeze(1);
  }
  const torch::Tensor index = neighbours.index_select(0, sites);  // [chains, degree]
  const torch::Tensor w = weights.index_select(0, sites);
  if (v.dim() == 2) return (v.gather(1, index) * w).sum(1);
  const torch::Tensor expanded = index.unsqueeze(-1).expand({-1, -1, v.size(2)});
  return (v.gather(1, expanded) * w.unsqueeze(-1)).sum(1);
}

Couplings periodic_lattice(int64_t rows, int64_t cols, double theta) {
  const int64_t d = rows * cols;
  torch::Tensor j = torch::zeros({d, d}, torch::kFloat64);
  auto a = j.accessor<double, 2>();
  auto link = [&](int64_t p, int64_t q) {
    if (p != q) a[p][q] = a[q][p] = theta;
  };
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t site = r * cols + c;
      link(site, r * cols + (c + 1) % cols);
      link(site, ((r + 1) % rows) * cols + c);
    }
  }
  return Couplings::from_dense(j);
}

Couplings erdos_renyi(int64_t n, double degree, double weight_sd, Rng& rng) {
  const double p = n > 1 ? std::min(1.0, degree / static_cast<double>(n - 1)) : 0.0;
  const torch::Tensor upper = torch::triu(torch::ones({n, n}, torch::kFloat64), 1);
  const torch::Tensor edges = (rng.uniform({n, n}) < p).to(torch::kFloat64) * upper;
  const torch::Tensor w = edges * rng.normal({n, n}) * weight_sd;
  return Couplings::from_dense(w + w.t());
}

}  // namespace ebmc
