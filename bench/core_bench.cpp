// Micro-benchmarks of the foundation: kernel + runner overhead over bare energy evaluation,
// cost of the diagnostics, RWM's ESS per second / per energy evaluation, and the learned
// kernels' network evaluations.
//
//   build/ebmc_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/efficiency.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/learned/l2hmc.h"
#include "ebmc/learned/networks.h"
#include "ebmc/samplers/rwm.h"
#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/registry.h"

namespace ebmc {
namespace {

constexpr int64_t kDim = 10;

// The unavoidable work of one RWM step: a proposal draw and one batched energy evaluation.
void BM_BareProposalAndEnergy(benchmark::State& bench) {
  torch::NoGradGuard no_grad;
  const int64_t chains = bench.range(0);
  DiagonalGaussian target = DiagonalGaussian::standard(kDim);
  Rng rng(1);
  torch::Tensor x = torch::zeros({chains, kDim}, torch::kFloat64);
  for (auto _ : bench) {
    torch::Tensor proposal = x + 0.5 * rng.normal({chains, kDim});
    benchmark::DoNotOptimize(target.energy(proposal).data_ptr<double>());
  }
  bench.SetItemsProcessed(bench.iterations() * chains);
}
BENCHMARK(BM_BareProposalAndEnergy)->Arg(4)->Arg(1024)->Unit(benchmark::kMicrosecond);

// A full RWM transition through the runner: proposal, energy, shared MH step, row selection,
// cost counting and draw storage.
void BM_RwmTransitionInRunner(benchmark::State& bench) {
  const int64_t chains = bench.range(0);
  DiagonalGaussian target = DiagonalGaussian::standard(kDim);
  RandomWalkMetropolis kernel(RwmOptions().step_size(0.5));
  Rng rng(1);
  torch::Tensor x0 = torch::zeros({chains, kDim}, torch::kFloat64);
  const int64_t transitions = 200;
  for (auto _ : bench) {
    RunResult run = run_chains(kernel, target, x0, rng, RunOptions().warmup(0).draws(transitions));
    benchmark::DoNotOptimize(run.draws.data_ptr<double>());
  }
  bench.SetItemsProcessed(bench.iterations() * chains * transitions);
  bench.counters["transitions_per_s"] = benchmark::Counter(
      static_cast<double>(transitions), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_RwmTransitionInRunner)->Arg(4)->Arg(1024)->Unit(benchmark::kMillisecond);

// All diagnostics of one parameter (rhat, bulk/tail/basic ESS, MCSE, quantiles).
void BM_SummarizeParameter(benchmark::State& bench) {
  const int64_t iterations = bench.range(0);
  Rng rng(2);
  ChainMatrix draws = ChainMatrix::from_tensor(rng.normal({iterations, 4}));
  for (auto _ : bench) {
    ParameterSummary s = summarize("x", draws);
    benchmark::DoNotOptimize(s.ess_bulk);
  }
  bench.SetItemsProcessed(bench.iterations() * iterations * 4);
}
BENCHMARK(BM_SummarizeParameter)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// RWM with the optimal-scaling step 2.38/sqrt(d) on a 10-d standard normal: min bulk-ESS per
// second and per energy evaluation (the numbers `ebmc sample` reports).
void BM_RwmEfficiency(benchmark::State& bench) {
  DiagonalGaussian target = DiagonalGaussian::standard(kDim);
  RandomWalkMetropolis kernel(RwmOptions().step_size(2.38 / std::sqrt(double{kDim})));
  Efficiency e;
  for (auto _ : bench) {
    Rng rng(3);
    RunResult run = run_chains(kernel, target, rng.normal({4, kDim}), rng,
                               RunOptions().warmup(500).draws(4000));
    std::vector<std::string> names(static_cast<size_t>(kDim), "x");
    e = efficiency(summarize_all(names, per_parameter(run.draws)), run.sampling_cost);
  }
  bench.counters["min_ess_bulk"] = e.min_ess_bulk;
  bench.counters["ess_per_s"] = e.ess_per_second;
  bench.counters["ess_per_energy_eval"] = e.ess_per_energy_eval;
}
BENCHMARK(BM_RwmEfficiency)->Iterations(3)->Unit(benchmark::kMillisecond);

// One evaluation of the entropy sampler's width-256 network on 50-d ICG inputs (150 → 256 → 256 →
// 256 → 256 → 150, ELU) per row, for blocks of 1 or 8 rows (`range(0)`), in float64 (0) or
// float32 (1) (`range(1)`): what lockstep chains and float32 networks save per evaluation.
void BM_EntropyNetworkPerRow(benchmark::State& bench) {
  const int64_t rows = bench.range(0), dim = 50;
  Rng rng(4);
  StepIndexedMlp mlp(1, 3 * dim, 256, 3 * dim, rng);
  StepIndexedMlpImpl::Plain plain = mlp->plain();
  plain.precision = bench.range(1) == 1 ? NetworkPrecision::kFloat32 : NetworkPrecision::kFloat64;
  const torch::Tensor input = rng.normal({rows, 3 * dim});
  std::vector<double> output(static_cast<size_t>(rows * 3 * dim));
  PlainScratch scratch;
  for (auto _ : bench) {
    plain.forward(0, input.data_ptr<double>(), output.data(), scratch, rows);
    benchmark::DoNotOptimize(output.data());
  }
  bench.SetItemsProcessed(bench.iterations() * rows);
}
BENCHMARK(BM_EntropyNetworkPerRow)
    ->Args({1, 0})
    ->Args({8, 0})
    ->Args({1, 1})
    ->Args({8, 1})
    ->Unit(benchmark::kMicrosecond);

// One L2HMC transition (M = 10, 10 hidden units) of 16 chains on 50-d ICG (`range(2)` = 0) or
// 2-d SCG (1) through the fused path (chains in lockstep blocks), with a dense preconditioner L
// (`range(0)` = 1) or without, float64 (0) or float32 (1) networks (`range(1)`); the networks
// are perturbed away from zero so that every exp and tanh is a real one, as in a trained kernel.
void BM_L2hmcTransition(benchmark::State& bench) {
  torch::NoGradGuard no_grad;
  const int64_t chains = 16;
  const std::unique_ptr<Target> target = make_target(bench.range(2) == 1 ? "scg" : "icg");
  const int64_t dim = target->dim();
  Rng rng(5);
  L2hmc kernel(dim, L2hmcOptions().precondition(bench.range(0) == 1), rng);
  for (auto& p : kernel.named_parameters()) {
    if (p.key() != "factor") p.value().add_(0.1 * rng.normal(p.value().sizes()));
  }
  if (bench.range(0) == 1) {
    kernel.set_factor(torch::tril(0.1 * rng.normal({dim, dim}), -1) +
                      torch::diag(torch::exp(0.1 * rng.normal({dim}))));
  }
  kernel.set_network_precision(bench.range(1) == 1 ? NetworkPrecision::kFloat32
                                                   : NetworkPrecision::kFloat64);
  State state = kernel.init(*target, rng.normal({chains, dim}));
  Rng streams(6, ChainStreams{0, chains});
  for (auto _ : bench) {
    kernel.step(state, streams);
    streams.next_transition();
  }
  bench.SetItemsProcessed(bench.iterations() * chains);
}
BENCHMARK(BM_L2hmcTransition)
    ->Args({0, 0, 0})
    ->Args({1, 0, 0})
    ->Args({1, 1, 0})
    ->Args({1, 0, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ebmc

BENCHMARK_MAIN();
