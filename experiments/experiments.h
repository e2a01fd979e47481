#pragma once
/// @file experiments.h
/// `ebmc bench` experiments: each runs samplers against their baselines in one process and
/// prints a table (and JSON when asked).

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

namespace ebmc::bench {

/// Whether `--only` (`only`) selects a case described by `fields` (its target, sampler spec,
/// …): no `only`, a field that contains it, or, when it ends with `$`, a field that ends with the
/// text before it (`--only 'hidden=100,burn_in=0$'` picks that spec, not its longer variants).
inline bool only_selects(const std::string& only, std::initializer_list<std::string> fields) {
  if (only.empty()) return true;
  const bool anchored = only.back() == '$';
  const std::string text = anchored ? only.substr(0, only.size() - 1) : only;
  for (const std::string& field : fields) {
    if (anchored ? field.size() >= text.size() &&
                       field.compare(field.size() - text.size(), text.size(), text) == 0
                 : field.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// Settings shared by the experiments.
struct BenchOptions {
  bool quick = false;  ///< shorter runs, for smoke tests
  uint64_t seed = 1;
  int64_t chains = 0;  ///< chains per run; 0 picks the experiment's default
  int64_t seeds = 0;   ///< repetitions with seeds seed, seed + 1, …; 0 picks the experiment's
  std::string only;    ///< learned, flowmc-ebm, stan: the cases to run (see `only_selects`)
  /// discrete: a checkout of github.com/wgrathwohl/GWG_release, whose GWG sampler is timed
  /// against ebmc's (empty: not compared)
  std::string gwg_release;
  /// learned: training iterations of every kernel (0: the papers' 5000; `quick`: 20)
  int64_t train_steps = 0;
  /// learned: also measure every kernel and baseline at this many chains (0: not; default 1024,
  /// `quick`: 0)
  int64_t many_chains = -1;
};

/// HMC (best of a grid of step-size targets × path lengths) against every other registered adaptive
/// sampler (MALA, Barker, NUTS, …) on ICG, SCG, funnel3
/// and German-credit logistic regression: min bulk-ESS per second and per gradient evaluation;
/// plus the overhead of kernel + runner over bare energy-and-gradient evaluation at 1024 chains.
/// Prints the tables to stdout and returns them as JSON.
nlohmann::json run_classical_bench(const BenchOptions& options);

/// The Gibbs-With-Gradients experiments, scaled to a 2-core machine and repeated over
/// `options.seeds` seeds (mean ± standard error, R-hat marks): lattice Ising 10×10 and 40×40
/// over θ ∈ {−0.1, 0, 0.1, 0.25, 0.5} (Gibbs-1, Gibbs-2, HB-10-1, GWG, GWG-3: ESS of the
/// Hamming and energy statistics, ESS/s, cost per step relative to Gibbs-1); an RBM with 100
/// visible and 25 hidden units (MMD against block-Gibbs samples over the run, ESS); a factorial
/// HMM with L = 1000, K = 10 (log-joint and reconstruction error over the run).
/// `options.only` = ising, rbm or fhmm runs that part only.
nlohmann::json run_discrete_bench(const BenchOptions& options);

/// One process against two (`ebmc launch`, one thread each) on this machine: sampling 1024
/// chains of HMC on ICG (throughput in transitions per second, scaling efficiency) and
/// data-parallel reverse-KL training of a RealNVP flow with batch 1024 (time per iteration,
/// scaling efficiency, share of the time in collectives); `options.seeds` repetitions.
nlohmann::json run_distributed_bench(const BenchOptions& options);

/// The learned kernels against the HMC baselines measured in the same run — grid-tuned HMC (unit
/// metric), the paper's HMC (L2HMC: its M leapfrog steps; Li et al.: 40 steps; step size by
/// dual averaging) and, where the authors released one, the HMC of their code (SCG: T = 10,
/// ε = 0.15, measured on long chains) — : L2HMC on ICG, SCG, MoG, the rough well and logistic
/// regression; the proposal-entropy sampler on ICG, SCG, funnel1, funnel3 and Bayesian logistic
/// regression (German, Pima, Sonar, Ionosphere).
/// Trains each kernel with `options.seeds` seeds (default 3; time reported), then reports ESS
/// per MH step, per gradient evaluation and per second and the ratios to both baselines as mean ±
/// standard error over the seeds, at 16 chains and at `options.many_chains`.
nlohmann::json run_learned_bench(const BenchOptions& options);

/// Diagnostics at scale (4096 chains × 100 parameters × 50 draws; `quick`: 256 chains): the
/// summary table (R-hat, bulk/tail ESS, MCSE, quantiles per parameter) with one thread and with
/// every thread, against the baseline of calling each diagnostic on its own, one parameter after
/// the other; and the CSV round trip `ebmc diagnose` adds (write, read). Checks that all three
/// give the same values.
nlohmann::json run_diagnostics_bench(const BenchOptions& options);

/// grenioux-2023 scaled to a 2-core CPU: the 2:1 mixture (ULA-EBM and flowMC-EBM, top-right
/// mode weight along training), the four modes (Table 3's errors), 8 Gaussians and rings
/// (Table 1's median squared log-density error) and the 4-mode mixture in 16/32/64 dimensions
/// (Table 2's max R-hat of the negative chains), each over `seeds` seeds; every run's folder
/// (model, flow, metrics, report for the first seed) goes under `out_dir`.
nlohmann::json run_flowmc_ebm_bench(const BenchOptions& options, const std::string& out_dir);

/// grathwohl-2020 sections 7.1–7.2 scaled to a 2-core CPU: rejection rates of LSD, KSD, LKSD
/// and FSSD on Gaussian–Bernoulli RBMs (50, 40), (100, 80), (200, 100) with weights perturbed by
/// σ ∈ {0, 0.01, 0.02, 0.04, 0.06} (n = 1000, random RBM per repetition), and the LSD and KSD
/// each reports against eq. 9's optimum.
/// `options.only` = `rbm` runs only those; `ica` only the linear-ICA table of Figure 8 (models
/// trained by ML, LSD, SSM and NCE, test log-likelihoods; `run_stein_ica_table`).
nlohmann::json run_stein_bench(const BenchOptions& options);
nlohmann::json run_stein_ica_table(const BenchOptions& options);

/// grathwohl-2021 sections 7–8 scaled to a 2-core CPU, over `options.seeds` seeds (default 2):
/// log RMSE of learned Ising couplings against MCMC steps per PCD iteration for Gibbs and GWG on
/// a 5×5 lattice (θ = 0.25) and a 200-node Erdős–Rényi graph, with PLM (Figures 6 / 11); Potts
/// contact precision on a planted graph (PLM, Gibbs, GWG); RBM and deep-EBM test
/// log-likelihoods on binary digits by AIS (GWG against Gibbs with the same and 5× the steps).
/// `options.only`: lattice, er, potts, rbm or deep. Runs, data and plots go under `out_dir`.
nlohmann::json run_discrete_ebm_bench(const BenchOptions& options, const std::string& out_dir);

/// ebmc's NUTS against Stan's (r-cran-rstan via `Rscript bench/stan/run_stan.R`, when installed)
/// on German-credit BLR, ICG, funnel d = 10 σ = 3, funnel3 and SCG: same posterior, 4 chains,
/// 1000 + 2000 iterations, diag metric, adapt_delta 0.8; ESS/s, ESS per gradient, time per
/// gradient and their ratios, and whether the posterior means agree. Without R: ebmc's numbers.
/// Stan's data and draws go under `out_dir`.
nlohmann::json run_stan_bench(const BenchOptions& options, const std::string& out_dir);
}  // namespace ebmc::bench
