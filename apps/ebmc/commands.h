#pragma once
/// @file commands.h
/// The sub-commands of the `ebmc` tool; each registers itself on the top-level CLI11 app and
/// runs through the callback it installs.

#include <CLI/CLI.hpp>

namespace ebmc::cli {

/// Accepts a seed in 0 … 2^64 − 1 written as decimal digits (no sign, no wrap-around).
CLI::Validator seed_validator();

/// `ebmc launch -n N -- COMMAND ...`: N local processes of one distributed job.
void add_launch_command(CLI::App& app);

/// `ebmc diagnose FILE` / `ebmc diagnose --matrix FILE`: convergence diagnostics of draws.
void add_diagnose_command(CLI::App& app);
/// `ebmc sample`: run a sampler on a target and write draws and summaries.
void add_sample_command(CLI::App& app);
/// `ebmc train-sampler`: train a learned kernel on a target and save it.
void add_train_sampler_command(CLI::App& app);
/// `ebmc train-flow`: fit a normalizing flow to data or a target and save it.
void add_train_flow_command(CLI::App& app);
/// `ebmc train-ebm`: train and evaluate an energy-based model.
void add_train_ebm_command(CLI::App& app);
/// `ebmc stein ksd|lksd|fssd|lsd|compare`: Stein-discrepancy tests and model comparison.
void add_stein_command(CLI::App& app);
/// `ebmc ais`: log Z of a discrete target by annealed importance sampling.
void add_ais_command(CLI::App& app);
/// `ebmc bench EXPERIMENT`: benchmark experiments (samplers against baselines in one run).
void add_bench_command(CLI::App& app);
/// `ebmc list`: the available targets and samplers.
void add_list_command(CLI::App& app);

/// `ebmc report PATH`: the HTML report of a run folder or a training log.
void add_report_command(CLI::App& app);

}  // namespace ebmc::cli
