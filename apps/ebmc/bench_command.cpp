#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "experiments/experiments.h"

namespace ebmc::cli {

namespace {

struct BenchArgs {
  std::string experiment;
  std::string out;
  std::string out_dir;
  bench::BenchOptions options;
};

void run_bench(const BenchArgs& args) {
  if (args.options.chains == 1 || args.options.chains < 0) {
    throw InputError("chains must be >= 2", "--chains");
  }
  if (!args.out.empty()) check_output_file(args.out, "--out");
  nlohmann::json result;
  if (args.experiment == "classical") {
    bench::BenchOptions options = args.options;
    if (options.chains == 0) options.chains = 4;
    result = bench::run_classical_bench(options);
  } else if (args.experiment == "discrete") {
    result = bench::run_discrete_bench(args.options);
  } else if (args.experiment == "stan") {
    result = bench::run_stan_bench(args.options, args.out_dir);
  } else if (args.experiment == "discrete-ebm") {
    result = bench::run_discrete_ebm_bench(args.options, args.out_dir);
  } else if (args.experiment == "learned") {
    bench::BenchOptions options = args.options;
    if (options.chains == 0) options.chains = 16;
    result = bench::run_learned_bench(options);
  } else if (args.experiment == "distributed") {
    result = bench::run_distributed_bench(args.options);
  } else if (args.experiment == "diagnostics") {
    result = bench::run_diagnostics_bench(args.options);
  } else if (args.experiment == "flowmc-ebm") {
    result = bench::run_flowmc_ebm_bench(args.options, args.out_dir);
  } else if (args.experiment == "stein") {
    result = bench::run_stein_bench(args.options);
  } else {
    throw InputError(
        "unknown experiment '" + args.experiment +
            "' (available: classical, discrete, discrete-ebm, learned, distributed, diagnostics, "
            "flowmc-ebm, "
            "stein, stan)",
        "ebmc bench");
  }
  if (!args.out.empty()) write_file_atomically(args.out, result.dump(2) + "\n");
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Run a benchmark experiment: every sampler against its baseline in one run");
  cmd->add_option(
         "experiment", args->experiment,
         "classical | discrete | discrete-ebm | learned | distributed | diagnostics | flowmc-ebm | "
         "stein | stan")
      ->required();
  cmd->add_flag("--quick", args->options.quick, "short runs (smoke test)");
  cmd->add_option("--seed", args->options.seed, "random seed")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_option("--chains", args->options.chains,
                  "chains per run (default: 4 for classical, 16 for discrete and learned, 4096 for "
                  "diagnostics)");
  cmd->add_option("--seeds", args->options.seeds,
                  "discrete, stan, learned: repetitions (seeds seed, seed+1, ...; default 4 for "
                  "Ising, 3 for RBM, FHMM, stan and learned's training, 2 with --quick (stan and "
                  "learned 1))")
      ->check(CLI::Range(int64_t{1}, int64_t{1000}));
  cmd->add_option("--train-steps", args->options.train_steps,
                  "learned: training iterations of every kernel (default: the papers' 5000; "
                  "--quick 20)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  cmd->add_option("--many-chains", args->options.many_chains,
                  "learned: also measure every kernel and baseline at this many chains (default "
                  "1024, --quick none; 0 = none)")
      ->check(CLI::Range(int64_t{0}, int64_t{1000000}));
  cmd->add_option("--gwg-release", args->options.gwg_release,
                  "discrete: a checkout of github.com/wgrathwohl/GWG_release; also runs the "
                  "authors' GWG (python3-torch, tools/gwg_release_ising.py) on the same 100-chain "
                  "lattices, interleaved with ebmc's (with --only gwg-release: only that)");
  cmd->add_option(
      "--only", args->options.only,
      "learned, flowmc-ebm, stan: only the cases whose target, sampler/method spec (or "
      "flowmc-ebm part) contains this text (ending in $: ends with it); stein: rbm (Figures "
      "5-6) or ica (Figure 8's table); discrete: ising, rbm, fhmm or gwg-release; discrete-ebm: "
      "lattice, er, potts, rbm or deep");
  cmd->add_option("--out-dir", args->out_dir,
                  "flowmc-ebm, discrete-ebm: folder for every run's model, metrics and report "
                  "(default flowmc-ebm-bench, discrete-ebm-bench)");
  cmd->add_option("--out", args->out, "also write the results as JSON to this file");
  cmd->callback([args]() { run_bench(*args); });
}

}  // namespace ebmc::cli
