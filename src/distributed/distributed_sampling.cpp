#include "ebmc/distributed/distributed_sampling.h"

#include <algorithm>

#include "ebmc/core/errors.h"
#include "ebmc/distributed/data_parallel.h"

namespace ebmc {

ChainSlice chain_slice(int64_t chains, int rank, int world_size) {
  if (chains < world_size) {
    throw InputError("a job of " + std::to_string(world_size) + " processes needs at least " +
                         std::to_string(world_size) + " chains, got " + std::to_string(chains),
                     "--chains");
  }
  const RowShare share = contiguous_share(chains, rank, world_size);
  return ChainSlice{share.first, share.count};
}

namespace {

/// The scalars of a run that are summed, maxed or averaged over the ranks, packed in one tensor.
torch::Tensor pack_scalars(const RunResult& r, int64_t chains, int64_t kept) {
  std::vector<double> v = {static_cast<double>(chains),
                           static_cast<double>(kept),
                           r.accept_rate * static_cast<double>(chains),
                           static_cast<double>(r.nonfinite),
                           r.interrupted ? 1.0 : 0.0,
                           static_cast<double>(r.warmup_cost.energy_evals),
                           static_cast<double>(r.warmup_cost.gradient_evals),
                           r.warmup_cost.wall_seconds,
                           static_cast<double>(r.sampling_cost.energy_evals),
                           static_cast<double>(r.sampling_cost.gradient_evals),
                           r.sampling_cost.wall_seconds,
                           r.sampling_kernel_seconds};
  for (const auto& [name, total] : r.warmup_totals) v.push_back(total);
  for (const auto& [name, total] : r.sampling_totals) v.push_back(total);
  return torch::tensor(v, torch::kFloat64);
}

/// `tensor` [draws, chains, k] of every rank, first `kept` draws, joined along the chains.
torch::Tensor gather_chains(ProcessGroup& group, const torch::Tensor& tensor, int64_t kept) {
  const torch::Tensor by_chain = tensor.narrow(0, 0, kept).transpose(0, 1).contiguous();
  return torch::cat(group.all_gather_rows(by_chain), 0).transpose(0, 1).contiguous();
}

}  // namespace

RunResult gather_run(ProcessGroup& group, const RunResult& local) {
  const int64_t chains = local.draws.defined() && local.draws.dim() == 3 ? local.draws.size(1) : 0;
  const int64_t kept = chains > 0 ? local.draws.size(0) : 0;
  const std::vector<torch::Tensor> scalars = group.all_gather(pack_scalars(local, chains, kept));

  RunResult merged = local;
  int64_t total_chains = 0, fewest_draws = kept;
  double accepted = 0.0;
  merged.nonfinite = 0;
  merged.interrupted = false;
  merged.warmup_cost = CostCounters();
  merged.sampling_cost = CostCounters();
  merged.sampling_kernel_seconds = 0.0;
  for (auto& [name, total] : merged.warmup_totals) total = 0.0;
  for (auto& [name, total] : merged.sampling_totals) total = 0.0;
  for (const torch::Tensor& packed : scalars) {
    const std::vector<double> v(packed.data_ptr<double>(),
                                packed.data_ptr<double>() + packed.numel());
    total_chains += static_cast<int64_t>(v[0]);
    fewest_draws = std::min(fewest_draws, static_cast<int64_t>(v[1]));
    accepted += v[2];
    merged.nonfinite += static_cast<int64_t>(v[3]);
    merged.interrupted = merged.interrupted || v[4] != 0.0;
    merged.warmup_cost.energy_evals += static_cast<int64_t>(v[5]);
    merged.warmup_cost.gradient_evals += static_cast<int64_t>(v[6]);
    merged.warmup_cost.wall_seconds = std::max(merged.warmup_cost.wall_seconds, v[7]);
    merged.sampling_cost.energy_evals += static_cast<int64_t>(v[8]);
    merged.sampling_cost.gradient_evals += static_cast<int64_t>(v[9]);
    merged.sampling_cost.wall_seconds = std::max(merged.sampling_cost.wall_seconds, v[10]);
    merged.sampling_kernel_seconds = std::max(merged.sampling_kernel_seconds, v[11]);
    size_t i = 12;
    for (auto& [name, total] : merged.warmup_totals) total += v[i++];
    for (auto& [name, total] : merged.sampling_totals) total += v[i++];
  }
  merged.accept_rate = total_chains > 0 ? accepted / static_cast<double>(total_chains) : 0.0;
  if (fewest_draws > 0) {
    merged.draws = gather_chains(group, local.draws, fewest_draws);
    merged.stats = gather_chains(group, local.stats, fewest_draws);
  } else if (chains > 0) {
    merged.draws = local.draws.narrow(0, 0, 0);
    merged.stats = local.stats.narrow(0, 0, 0);
  }
  if (local.tuning) {
    const Tuning& t = *local.tuning;
    const int64_t rows = t.step_size.size(0);
    merged.tuning->step_size = torch::cat(group.all_gather_rows(t.step_size.contiguous()), 0);
    merged.tuning->inverse_metric =
        torch::cat(group.all_gather_rows(
                       t.inverse_metric.expand({rows, t.inverse_metric.size(1)}).contiguous()),
                   0);
  }
  return merged;
}

}  // namespace ebmc
