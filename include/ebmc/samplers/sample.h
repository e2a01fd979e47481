#pragma once
/// @file sample.h
/// The library entry point behind `ebmc sample`: a target and a sampler chosen by spec (from
/// the registry), initial values, optional saved tuning, and the run recipe of core/runner.h —
/// for continuous, discrete and learned samplers alike. The CLI only parses, calls and prints.

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/discrete/discrete_target.h"
#include "ebmc/samplers/discrete_kernel.h"

namespace ebmc {

/// Chains `first` … `first + count − 1` of a request's `chains` (0-based, before the run's
/// `first_chain` offset): the part of a job one process runs.
struct ChainSlice {
  int64_t first = 0;
  int64_t count = -1;  ///< −1: every chain from `first` on
};

/// What to sample and how.
struct SampleRequest {
  std::string target;  ///< target spec, continuous or discrete
  /// Sampler spec matching the target's kind; empty: `nuts` for continuous targets, `gwg` for
  /// discrete ones.
  std::string sampler;
  int64_t chains = 4;
  RunOptions run;
  uint64_t seed = 1;
  double init_radius = 2.0;  ///< continuous inits uniform on (−R, R), as Stan
  std::string tuning_file;   ///< reuse a saved tuning (skips adaptation); empty: adapt
  /// Initial values: a JSON object {name: value} for every chain, or an array of one object
  /// per chain; parameters it leaves out start from the uniform inits. Empty: uniform inits.
  std::string init_file;
  /// Do not hold the kept draws in memory (`RunOptions::keep_draws` false): they go to the
  /// callbacks only, and the caller summarizes them from its draws file. Also chosen when the
  /// draws would take more than half of the available memory (`SampleJob::streams_draws`).
  bool stream_draws = false;
  /// Run only these of the `chains` (a distributed job's share): initial values and tuning
  /// files still describe all `chains`, and the chains keep their numbers and streams.
  ChainSlice slice;
};

/// Initial values from `path` (see `SampleRequest::init_file`) written over `x0` [chains, dim]
/// whose columns are `names`. Throws InputError naming the file for malformed JSON, unknown
/// names, non-finite values or an array whose length is not the number of chains.
void apply_init_file(const std::string& path, const std::vector<std::string>& names,
                     torch::Tensor& x0);

/// The Hamming distance to `reference` [1, D(, K)] and the energy −f(x) per chain, [chains, 2]:
/// the statistics Zanella (2020) and the GWG paper record for discrete samplers.
Monitor hamming_and_energy_monitor(const DiscreteTarget& target, torch::Tensor reference);

/// Runs an uninitialized discrete `kernel` on `target` as `ebmc sample` does: a reference state
/// then every chain's start drawn uniformly from `rng`, recording `hamming_and_energy_monitor`.
RunResult run_discrete_sampler(DiscreteKernel& kernel, const DiscreteTarget& target, int64_t chains,
                               Rng& rng, const RunOptions& options,
                               const std::vector<RunCallback*>& callbacks = {});

/// A sampling run whose components are built and whose inputs are checked, before anything
/// long starts (so a caller can check its output paths in between).
///
///     ebmc::SampleJob job(request);            // throws InputError for bad specs or files
///     ebmc::RunResult run = job.run({&writer, &progress});
class SampleJob {
 public:
  explicit SampleJob(SampleRequest request);
  ~SampleJob();

  /// The names of what is recorded per draw: the target's parameters, or `hamming`, `energy`.
  const std::vector<std::string>& recorded_names() const { return names_; }
  /// The names of the sampler statistics recorded per draw (`lp__`, `accept_stat__`, …).
  std::vector<std::string> stat_names() const;
  /// The request as run: the default sampler filled in; for a slice, its chains and offset.
  const SampleRequest& request() const { return request_; }
  /// True for a discrete target (states recorded as Hamming distance and energy).
  bool discrete() const;
  /// True when the run does not keep its draws in memory (requested, or too large to keep):
  /// summarize them from the draws file with `summarize_draws_file`.
  bool streams_draws() const { return !request_.run.keep_draws(); }
  /// Runs it; call once.
  RunResult run(const std::vector<RunCallback*>& callbacks = {});
  /// After `run`: per chain, how many random initial points it drew (`initial_points`: more than
  /// one where the target was not finite at the first); empty for a discrete run.
  const std::vector<int64_t>& initial_attempts() const { return initial_attempts_; }
  /// The continuous kernel (after `run`, as warmup left it), or null for a discrete run.
  std::shared_ptr<Kernel> kernel() const;

 private:
  /// Narrows the request, tuning and initial values to `request_.slice` (`count` chains).
  void select_slice(int64_t count);

  struct Components;
  SampleRequest request_;
  std::vector<std::string> names_;
  std::vector<int64_t> initial_attempts_;
  std::unique_ptr<Components> components_;
};

}  // namespace ebmc
