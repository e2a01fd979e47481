#pragma once
/// @file commands.h
/// The sub-commands of the `ebmc` tool; each registers itself on the top-level CLI11 app and
/// runs through the callback it installs.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>

#include "ebmc/distributed/process_group.h"

namespace ebmc::cli {

/// The job's process group when this process runs under `ebmc launch` or torchrun (null in one
/// process). With `batch` > 0 it first checks that a batch of that many rows gives every rank a
/// row, so that a bad `--batch` fails at once instead of after waiting for the other ranks.
std::unique_ptr<ProcessGroup> join_job(const DistributedSettings& dist, int64_t batch = 0);

/// Prints "data-parallel over N processes: X s [of `seconds` s] in collectives (rank 0)" for a
/// data-parallel job (nothing without a group; `seconds` < 0 leaves out the total).
void print_collectives_summary(const ProcessGroup* group, double seconds = -1);

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
