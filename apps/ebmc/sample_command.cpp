#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/progress.h"
#include "ebmc/distributed/distributed_sampling.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/flows/flow_kernel.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/draws_csv.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/run_report.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/report/html_report.h"
#include "ebmc/samplers/sample.h"

namespace ebmc::cli {

namespace {

struct SampleArgs {
  SampleRequest request;
  std::string out;
  bool save_warmup = false;
  bool save_states = false;
  bool report = false;
  bool progress = stderr_is_terminal();
};

/// Refuses what a distributed run cannot do: every rank writes nothing while it samples, and rank 0
/// writes the merged draws at the end.
void check_distributable(const SampleArgs& args, const DistributedSettings& dist) {
  const std::string why =
      "not available in a distributed run (WORLD_SIZE=" + std::to_string(dist.world_size) + ")";
  if (args.request.stream_draws) throw InputError(why, "--stream");
  if (args.save_warmup) throw InputError(why, "--save-warmup");
  if (args.save_states) throw InputError(why, "--save-states");
}

/// Writes the kept draws of a finished (merged) run as the streaming writer would have.
void write_draws(CsvDrawWriter& writer, const RunOptions& run, const RunResult& result) {
  writer.on_start(run, State{});
  const int64_t kept = result.draws.defined() ? result.draws.size(0) : 0;
  for (int64_t d = 0; d < kept; ++d) writer.on_draw(d, result.draws[d], result.stats[d]);
  writer.on_finish(result);
}

void run_sample(const SampleArgs& args) {
  // Under `ebmc launch` or torchrun: this process runs its share of the chains; rank 0 gathers
  // the runs and writes the outputs.
  const DistributedSettings dist = distributed_settings_from_environment();
  SampleRequest request = args.request;
  if (dist.distributed()) {
    check_distributable(args, dist);
    request.slice = chain_slice(request.chains, dist.rank, dist.world_size);
  }
  SampleJob job(request);
  const bool discrete = job.discrete();
  if (args.save_warmup && discrete) {
    throw InputError("warmup draws are saved for continuous targets only", "--save-warmup");
  }
  if (args.save_states && !discrete) {
    throw InputError("continuous runs save their states in draws.csv already", "--save-states");
  }
  const auto* flow_kernel = dynamic_cast<const FlowKernel*>(job.kernel().get());
  if (dist.distributed() && flow_kernel != nullptr && flow_kernel->fresh_flow()) {
    throw InputError(
        "this sampler fits its flow to all chains' warmup; a distributed run needs a fitted flow "
        "(flow=FILE, e.g. the flow.pt of a one-process run)",
        "--sampler");
  }
  if (args.report) require_gnuplot("--report");
  const bool writes = !dist.distributed() || dist.rank == 0;
  std::optional<OutputFolder> folder;
  if (writes) {
    folder.emplace(args.out, std::vector<std::string>{"draws.csv", "draws.csv.partial",
                                                      "summary.json", "summary.txt", "warmup.csv",
                                                      "states.csv", "report.html", "flow.pt"});
  }
  const std::string draws_path = writes ? folder->file("draws.csv") : "";
  CsvDrawWriter writer(draws_path, job.recorded_names(), job.stat_names());
  WarmupCsvWriter warmup(writes ? folder->file("warmup.csv") : "", job.recorded_names(),
                         job.stat_names());
  ProgressReporter progress(std::cerr, stderr_is_terminal());
  std::vector<RunCallback*> callbacks;
  if (!dist.distributed()) callbacks.push_back(&writer);
  if (args.save_warmup) callbacks.push_back(&warmup);
  StatesCsvWriter states(writes ? folder->file("states.csv") : "");
  if (args.save_states) callbacks.push_back(&states);
  if (args.progress && writes) callbacks.push_back(&progress);
  install_interrupt_handlers();
  std::unique_ptr<ProcessGroup> group = join_job(dist);
  RunResult result = job.run(callbacks);
  for (size_t c = 0; c < job.initial_attempts().size(); ++c) {
    if (job.initial_attempts()[c] > 1) {
      std::fprintf(stderr,
                   "ebmc: note: chain %lld took %lld random initial points (the target is not "
                   "finite at the others)\n",
                   static_cast<long long>(job.request().run.first_chain() + 1 +
                                          static_cast<int64_t>(c)),
                   static_cast<long long>(job.initial_attempts()[c]));
    }
  }
  if (group) {
    result = gather_run(*group, result);
    if (!writes) return;
    write_draws(writer, job.request().run, result);
  }
  const bool interrupted = result.interrupted;
  // A flow sampler that started from a fresh flow (flowmc fits it in warmup): keep the flow, so
  // that a later run can reuse it with `flow=DIR/flow.pt`.
  if (flow_kernel != nullptr && flow_kernel->fresh_flow() && flow_kernel->flow() && !interrupted) {
    flow_kernel->flow()->set_fitted_to("warmup of " + job.request().target);
    save_flow(folder->file("flow.pt"), *flow_kernel->flow());
  }
  const SampleRequest& r = job.request();  // with the default sampler filled in
  std::optional<std::vector<ParameterSummary>> summaries;
  if (job.streams_draws()) {  // summarized from the file, 512 MiB of draws at a time
    summaries = summarize_draws_file(folder->file(interrupted ? "draws.csv.partial" : "draws.csv"),
                                     job.recorded_names(), 512.0 * 1024 * 1024);
  }
  RunReport report = make_run_report(r.target, r.sampler, r.seed, r.run, job.recorded_names(),
                                     std::move(result), std::move(summaries));
  write_file_atomically(folder->file("summary.json"), run_report_to_json(report).dump(2) + "\n");
  const std::string text = format_run_report(report);
  write_file_atomically(folder->file("summary.txt"), text);
  std::cout << text;
  for (const RunWarning& w : report.warnings) std::cerr << "ebmc: warning: " << w.message << '\n';
  if (args.report) {
    std::cerr << "report: " << write_run_report(args.out, ReportOptions()) << '\n';
  }
  if (interrupted) {
    throw Interrupted("interrupted; the draws so far are in " + folder->file("draws.csv.partial") +
                          ", the summary of them in " + folder->file("summary.json"),
                      interrupt_signal());
  }
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sample", "Run a sampler on a target; write DIR/draws.csv, summary.json and summary.txt");
  SampleRequest& request = args->request;
  request.run = RunOptions().warmup(1000).draws(1000);
  cmd->add_option("--target", request.target,
                  "target NAME[:key=value,...], see `ebmc list`; discrete targets record the "
                  "Hamming distance to a random reference state and the energy per draw")
      ->required();
  cmd->add_option("--sampler", request.sampler,
                  "sampler NAME[:key=value,...], see `ebmc list` (default: nuts for continuous "
                  "targets, gwg for discrete ones); gradient samplers adapt their step size and "
                  "diagonal metric during warmup unless adapt=0");
  cmd->add_option("--chains", request.chains, "number of chains run in one batch")
      ->capture_default_str();
  cmd->add_option("--chain-offset", request.run.first_chain(),
                  "run chains K+1 ... K+chains of a larger job: a chain's draws depend only on "
                  "the seed and its chain number, so slices run in separate processes merge "
                  "with `ebmc diagnose A/draws.csv B/draws.csv`")
      ->capture_default_str();
  cmd->add_option("--warmup", request.run.warmup(), "transitions before the first kept draw")
      ->capture_default_str();
  cmd->add_option("--draws", request.run.draws(), "kept draws per chain")->capture_default_str();
  cmd->add_option("--thin", request.run.thin(), "keep every N-th transition")
      ->capture_default_str();
  cmd->add_option("--seed", request.seed, "random seed; the same seed gives the same draws")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_option("--init-radius", request.init_radius,
                  "initial values uniform on (-R, R) in every coordinate")
      ->capture_default_str();
  cmd->add_flag("--save-states", args->save_states,
                "discrete targets: also write the kept states to DIR/states.csv (s.1 ... s.D)");
  cmd->add_flag("--stream", request.stream_draws,
                "do not hold the draws in memory: the summary is computed from DIR/draws.csv, a "
                "batch of columns at a time (chosen by itself when the draws would take more "
                "than half of the available memory)");
  cmd->add_flag("--save-warmup", args->save_warmup,
                "also write the warmup transitions to DIR/warmup.csv (continuous targets)");
  cmd->add_option("--init", request.init_file,
                  "initial values: JSON {\"x.1\": 0.5, ...} for every chain, or an array of one "
                  "object per chain; parameters left out start uniform on (-R, R)");
  cmd->add_option("--tuning", request.tuning_file,
                  "reuse the per-chain step sizes and metric of an earlier run's summary.json "
                  "(skips adaptation; same number of chains)");
  cmd->add_option("--out", args->out, "output folder (created if missing)")->required();
  cmd->add_flag("--report", args->report,
                "also write DIR/report.html (plots; needs gnuplot), as `ebmc report DIR`");
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress bar on stderr (default: on when stderr is a terminal)");
  cmd->callback([args]() { run_sample(*args); });
}

}  // namespace ebmc::cli
