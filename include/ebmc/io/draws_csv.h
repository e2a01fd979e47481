#pragma once
/// @file draws_csv.h
/// Reading and writing draws as CSV: the long format `chain,iter,<names…>` and the plain
/// iterations × chains matrix of one quantity.

#include <torch/torch.h>

#include <fstream>
#include <string>
#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/chain_matrix.h"
#include "ebmc/diagnostics/summary.h"

namespace ebmc {

/// Draws read from a long-format file, one ChainMatrix per parameter column.
struct LongDraws {
  std::vector<std::string> names;       ///< parameter names from the header, in order
  std::vector<ChainMatrix> parameters;  ///< one [iterations, chains] matrix per name
  std::vector<long long> chain_ids;     ///< the chain ids as they appear, in first-seen order
};

/// True for a sampler statistic's column name: as in Stan, those end in `__` (`lp__`,
/// `divergent__`, …); `ebmc diagnose` and the report summarize parameters without them.
bool is_sampler_statistic(const std::string& name);

/// Reads one or more draws files into one set of chains: ebmc's long format `chain,iter,<names…>`
/// or CmdStan's CSV (comment lines skipped, the columns from `lp__` on, one chain per file, the
/// warmup draws before "# Adaptation terminated" dropped); `-` is standard input. Every file
/// must have the same columns; the chains of later files follow those of earlier ones (so runs
/// made with `--chain-offset` in separate processes merge). A `.partial` file of an interrupted
/// run is read up to its last complete row and its chains truncated to a common length; what
/// was dropped is said in `notes`. Otherwise throws InputError as `read_long_draws`.
LongDraws read_draws(const std::vector<std::string>& paths, std::vector<std::string>& notes);

/// The summaries of the columns `names` of an ebmc long-format draws file without holding all
/// of it: the file is read once to count the draws, then once per batch of columns, with at most
/// about `budget_bytes` of draws in memory (at least one column). For runs too large to keep
/// (`ebmc sample --stream`). Chains are truncated to a common length, as `read_draws` does.
std::vector<ParameterSummary> summarize_draws_file(const std::string& path,
                                                   const std::vector<std::string>& names,
                                                   double budget_bytes);

/// Reads `chain,iter,<names…>` with a header row. Rows may come in any chain order; within a
/// chain, `iter` must increase. Every chain must hold the same number (at least 2) of draws.
/// Fields `NA`/`NaN`/`Inf` are read as non-finite values. Throws InputError naming the file and
/// line for a missing or empty file, a bad header, ragged rows, non-numeric fields, unequal
/// chains or too few draws.
LongDraws read_long_draws(const std::string& path);

/// Reads an iterations × chains matrix of one quantity: no header, comma-separated, at least 2
/// rows. Throws InputError as `read_long_draws` does.
ChainMatrix read_matrix_draws(const std::string& path);

/// Writes the long-format header `chain,iter,<names…>`.
void write_long_header(std::ostream& out, const std::vector<std::string>& names);

/// Writes one row per chain of `x` [chains, dim] for iteration `iter`; chain ids count from
/// `first_chain + 1`.
void write_long_rows(std::ostream& out, int64_t iter, const torch::Tensor& x,
                     int64_t first_chain = 0);

/// A run callback that streams every kept draw to a long-format CSV: the recorded columns
/// `names`, then the sampler statistics `stat_names` (e.g. `lp__`, `accept_stat__`, the
/// kernel's own; as Stan, their names end in `__`). An interrupted run keeps its whole rows in
/// `path.partial`. It writes `path.partial`
/// and renames it to `path` when the run finishes, so `path` only ever holds a complete run and
/// an interrupted run leaves its draws in `path.partial`.
///
///     ebmc::CsvDrawWriter writer("out/draws.csv", target.parameter_names());
///     ebmc::run_chains(kernel, target, x0, rng, options, {&writer});
class CsvDrawWriter : public RunCallback {
 public:
  CsvDrawWriter(std::string path, std::vector<std::string> names,
                std::vector<std::string> stat_names = {});

  void on_start(const RunOptions& options, const State& initial) override;
  void on_draw(int64_t draw, const torch::Tensor& recorded, const torch::Tensor& stats) override;
  void on_finish(const RunResult& result) override;

 private:
  std::string path_;
  std::vector<std::string> names_;
  bool with_stats_;
  int64_t first_chain_ = 0;
  std::ofstream out_;
};

/// A run callback that writes the kept states of a discrete run (`--save-states`): long format
/// with one column per site, `s.1 … s.D`, holding 0/1 (binary) or the value 0 … K−1
/// (categorical). Thinned like the draws.
class StatesCsvWriter : public RunCallback {
 public:
  explicit StatesCsvWriter(std::string path);

  void on_start(const RunOptions& options, const State& initial) override;
  void on_transition(Phase phase, int64_t iteration, const State& state, const Info& info) override;
  void on_finish(const RunResult& result) override;

 private:
  std::string path_;
  int64_t thin_ = 1;
  int64_t first_chain_ = 0;
  std::ofstream out_;
};

/// A run callback that writes every warmup transition of a continuous run to a long-format CSV
/// (`--save-warmup`): the state, `lp__`, `accept_stat__` and the kernel's statistics, with
/// `iter` counting warmup transitions from 1. The file is complete when warmup ends.
class WarmupCsvWriter : public RunCallback {
 public:
  WarmupCsvWriter(std::string path, std::vector<std::string> names,
                  std::vector<std::string> stat_names);

  void on_start(const RunOptions& options, const State& initial) override;
  void on_transition(Phase phase, int64_t iteration, const State& state, const Info& info) override;
  void on_finish(const RunResult& result) override;

 private:
  std::string path_;
  std::vector<std::string> names_;
  int64_t first_chain_ = 0;
  std::ofstream out_;
};

}  // namespace ebmc
