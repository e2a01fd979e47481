#include "ebmc/samplers/block_moves.h"

#include <functional>

#include "ebmc/discrete/moves.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

torch::Tensor all_offsets(int64_t block, int64_t k) {
  return hamming_ball_offsets(block, block, k);
}

torch::Tensor hamming_ball_offsets(int64_t block, int64_t radius, int64_t k) {
  std::vector<int64_t> flat;
  std::vector<int64_t> current(block, 0);
  // Depth-first over positions; `changed` counts non-zero offsets so far.
  std::function<void(int64_t, int64_t)> visit = [&](int64_t position, int64_t changed) {
    if (position == block) {
      flat.insert(flat.end(), current.begin(), current.end());
      return;
    }
    current[position] = 0;
    visit(position + 1, changed);
    if (changed == radius) return;
    for (int64_t v = 1; v < k; ++v) {
      current[position] = v;
      visit(position + 1, changed + 1);
    }
    current[position] = 0;
  };
  visit(0, 0);
  const int64_t rows = static_cast<int64_t>(flat.size()) / block;
  return torch::tensor(flat, torch::kInt64).view({rows, block});
}

torch::Tensor shifted_states(const DiscreteTarget& target, const torch::Tensor& x,
                             const torch::Tensor& blocks, const torch::Tensor& offsets) {
  const int64_t n = x.size(0), c = offsets.size(-2), b = blocks.size(1), d = target.num_sites();
  const torch::Tensor values = site_values(target, x);                  // [N, D]
  const torch::Tensor current = values.gather(1, blocks).unsqueeze(1);  // [N, 1, b]
  const torch::Tensor per_chain = offsets.dim() == 2 ? offsets.unsqueeze(0) : offsets;
  const torch::Tensor shifted =
      torch::remainder(current + per_chain, target.num_values());  // [N, C, b]
  const torch::Tensor all = values.unsqueeze(1).expand({n, c, d}).scatter(
      2, blocks.unsqueeze(1).expand({n, c, b}), shifted);
  return states_from_values(target, all.reshape({n * c, d}));
}

torch::Tensor random_blocks(int64_t chains, int64_t sites, int64_t b, Rng& rng) {
  return rng.uniform({chains, sites}).argsort(/*dim=*/int64_t{1}).narrow(1, 0, b);
}

torch::Tensor random_aligned_blocks(int64_t chains, int64_t sites, int64_t b, Rng& rng) {
  const torch::Tensor start = rng.random_rows(sites / b, chains) * b;
  return start.unsqueeze(1) + torch::arange(b, torch::kInt64);
}

std::vector<torch::Tensor> every_block(int64_t sites, int64_t b, bool aligned) {
  std::vector<torch::Tensor> blocks;
  if (aligned) {
    for (int64_t start = 0; start + b <= sites; start += b) {
      blocks.push_back(torch::arange(start, start + b, torch::kInt64));
    }
    return blocks;
  }
  std::vector<int64_t> chosen;
  std::function<void(int64_t)> visit = [&](int64_t next) {
    if (static_cast<int64_t>(chosen.size()) == b) {
      blocks.push_back(torch::tensor(chosen, torch::kInt64));
      return;
    }
    for (int64_t s = next; s < sites; ++s) {
      chosen.push_back(s);
      visit(s + 1);
      chosen.pop_back();
    }
  };
  visit(0);
  return blocks;
}

torch::Tensor sample_categorical(const torch::Tensor& log_weights, Rng& rng) {
  // Gumbel-max: argmax of log-weights plus Gumbel noise is an exact categorical draw.
  const torch::Tensor u = rng.uniform(log_weights.sizes()).clamp_min(1e-300);
  return (log_weights - torch::log(-torch::log(u))).argmax(1);
}

torch::Tensor pick_candidates(const torch::Tensor& candidates, int64_t per_chain,
                              const torch::Tensor& choice) {
  const torch::Tensor rows = torch::arange(choice.size(0), torch::kInt64) * per_chain + choice;
  return candidates.index_select(0, rows);
}

}  // namespace ebmc
