#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/progress.h"
#include "ebmc/core/spec.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/ebm/discrete_ebm_run.h"
#include "ebmc/ebm/ebm_run.h"

namespace ebmc::cli {

namespace {

/// The metrics' warnings on stderr, as `sample` prints its run warnings; a run whose metrics are
/// not finite ends with exit code 1 (its outputs are written).
void report_training_warnings(const nlohmann::json& metrics, const std::string& out) {
  if (metrics.contains("warnings")) {
    for (const auto& w : metrics.at("warnings")) {
      std::cerr << "ebmc: warning: " << w.get<std::string>() << "\n";
    }
  }
  if (metrics.contains("nonfinite_metrics")) {
    throw RunFailed("training diverged: " + metrics.at("nonfinite_metrics").dump() +
                        " not finite (the model and metrics.json are written)",
                    out);
  }
}

struct TrainEbmArgs {
  EbmRunOptions run;
  DiscreteEbmRunOptions discrete;  ///< the options only discrete models take
  bool progress = stderr_is_terminal();
};

std::string fixed(double value, int digits) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

void run_train_ebm(const TrainEbmArgs& args) {
  const bool redraw = stderr_is_terminal();
  // Under `ebmc launch` or torchrun: data-parallel, rank 0 writes and reports.
  const DistributedSettings dist = distributed_settings_from_environment();
  const bool writes = !dist.distributed() || dist.rank == 0;
  EbmRunOptions run = args.run;
  std::unique_ptr<ProcessGroup> group = join_job(dist);
  run.group = group.get();
  install_interrupt_handlers();
  if (writes && args.run.resume && std::filesystem::exists(args.run.out + "/model.pt.ckpt")) {
    std::cerr << "resuming from " << args.run.out << "/model.pt.ckpt\n";
  }
  const std::string label =
      Spec::parse(args.run.method, "--method").name() + "-EBM on " + args.run.data;
  bool first = true;
  EbmRunResult result =
      run_ebm_training(run, [&](const EbmProgress& p, const std::vector<double>& weights) {
        if (first && args.run.resume && p.iteration > 1) {
          std::cerr << "resumed at iteration " << p.iteration - 1 << "\n";
        }
        first = false;
        if (!args.progress) return;
        const int64_t every = redraw ? 10 : std::max<int64_t>(1, p.steps / 20);
        if (p.iteration % every != 0 && p.iteration != p.steps) return;
        std::string line = label + "  iter " + std::to_string(p.iteration) + "/" +
                           std::to_string(p.steps) + "  loss " + fixed(p.loss, 4) + "  global " +
                           fixed(p.global_accept, 3) + "  local " + fixed(p.local_accept, 3);
        if (!weights.empty()) {
          line += "  weights";
          for (double w : weights) line += " " + fixed(w, 3);
        }
        line += "  " + fixed(p.seconds, 1) + " s";
        std::cerr << (redraw ? "\r" : "") << line << (redraw && p.iteration != p.steps ? "" : "\n")
                  << std::flush;
      });
  if (!writes) return;
  if (!result.report.empty()) std::cerr << "report: " << result.report << "\n";
  std::printf("trained %s-EBM on %s: %lld iterations, %.1f s\n",
              label.substr(0, label.find("-EBM")).c_str(), args.run.data.c_str(),
              static_cast<long long>(result.iterations), result.seconds);
  for (const auto& [key, value] : result.metrics.items()) {
    if (key != "grid" && key != "warnings") {
      std::printf("  %s: %s\n", key.c_str(), value.dump().c_str());
    }
  }
  std::printf("model: %s/model.pt\n", args.run.out.c_str());
  print_collectives_summary(group.get(), result.seconds);
  report_training_warnings(result.metrics, args.run.out);
}

/// `--model ising|potts|rbm|deep`: a discrete model trained by PCD or pseudo-likelihood.
void run_train_discrete_ebm(const TrainEbmArgs& args) {
  // Under `ebmc launch` or torchrun: data-parallel PCD, rank 0 writes and reports.
  const DistributedSettings dist = distributed_settings_from_environment();
  DiscreteEbmRunOptions run = args.discrete;
  std::unique_ptr<ProcessGroup> group = join_job(dist);
  run.group = group.get();
  run.model = args.run.model;
  run.data = args.run.data;
  run.data_size = args.run.data_size > 0 ? args.run.data_size : run.data_size;
  // The continuous default method (flowmc) means "not given" here.
  run.method = args.run.method == EbmRunOptions().method ? "pcd" : args.run.method;
  run.steps = args.run.steps > 0 ? args.run.steps : run.steps;
  run.batch = args.run.batch > 0 ? args.run.batch : run.batch;
  run.buffer = args.run.persistent > 0 ? args.run.persistent : 0;
  run.learning_rate = args.run.learning_rate > 0 ? args.run.learning_rate : run.learning_rate;
  run.seed = args.run.seed;
  run.out = args.run.out;
  run.checkpoint_every = args.run.checkpoint_every;
  run.resume = args.run.resume;
  run.report = args.run.report;
  install_interrupt_handlers();
  bool first = true;
  const nlohmann::json metrics = run_discrete_ebm_training(run, [&](const DiscretePcdProgress& p) {
    if (first && run.resume && p.iteration > 1) {
      std::cerr << "resumed at iteration " << p.iteration - 1 << "\n";
    }
    first = false;
    if (!args.progress) return;
    const int64_t every = std::max<int64_t>(1, p.steps / 20);
    if (p.iteration % every != 0 && p.iteration != p.steps) return;
    std::cerr << run.model << " by " << run.method << " on " << run.data << "  iter " << p.iteration
              << "/" << p.steps << "  loss " << fixed(p.loss, 4) << "  rmse " << fixed(p.rmse, 4)
              << "  flips " << fixed(p.flips, 3) << "  accept " << fixed(p.accept, 3) << "  lr "
              << p.learning_rate << "  " << fixed(p.seconds, 1) << " s\n";
  });
  if (group && !group->is_root()) return;
  std::printf("trained %s (%s) on %s\n", run.model.c_str(), run.method.c_str(), run.data.c_str());
  for (const auto& [key, value] : metrics.items()) {
    if (key != "warnings") std::printf("  %s: %s\n", key.c_str(), value.dump().c_str());
  }
  std::printf("model: %s/model.pt (sample it with --target discrete_ebm:model=%s/model.pt)\n",
              run.out.c_str(), run.out.c_str());
  print_collectives_summary(group.get());
  report_training_warnings(metrics, run.out);
}

}  // namespace

void add_train_ebm_command(CLI::App& app) {
  auto args = std::make_shared<TrainEbmArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train-ebm",
      "Train an energy-based model by maximum likelihood (ULA-EBM, flowMC-EBM, NT-EBM, "
      "CoopFlow, exact ML) or sample-free (LSD, sliced score matching, NCE) and evaluate it; "
      "sample it with `ebmc sample --target ebm:model=DIR/model.pt`");
  cmd->add_option(
         "--data", args->run.data,
         "CSV file of points (header + numeric columns), or a target that draws exact "
         "samples (two_to_one, four_modes, eight_gaussians, rings, gaussian_mixture_4:d=16)")
      ->required();
  cmd->add_option("--method", args->run.method,
                  "ula | flowmc | ntebm | coopflow (sampling) or lsd | ssm | nce | ml "
                  "(sample-free) [:key=value,...] (see `ebmc list`); options given here "
                  "override the preset's")
      ->capture_default_str();
  cmd->add_option("--preset", args->run.preset,
                  "hyper-parameters of grenioux-2023: c2 (2:1 mixture), table4 (four modes), "
                  "table5 (8 Gaussians, rings), table7 (high-dimensional mixture)")
      ->capture_default_str();
  cmd->add_option("--data-size", args->run.data_size,
                  "draws when --data names a target (default: the preset's)");
  cmd->add_option("--epochs", args->run.epochs, "passes over the data (default: the preset's)");
  cmd->add_option("--steps", args->run.steps, "iterations (overrides --epochs)");
  cmd->add_option("--batch", args->run.batch, "data rows per iteration (default: the preset's)");
  cmd->add_option("--persistent", args->run.persistent,
                  "persistent chains (default: the preset's)");
  cmd->add_option("--negative-chains", args->run.negative_chains,
                  "negative chains per iteration (default: the preset's; 0 = --batch)");
  cmd->add_option("--lr", args->run.learning_rate,
                  "Adam learning rate of the EBM (default: the preset's)");
  cmd->add_option("--l2", args->run.l2, "penalty on the energies, l2 (mean E+^2 + mean E-^2)")
      ->capture_default_str();
  CLI::Option* tilt = cmd->add_option(
      "--tilt-scale", args->run.tilt_scale,
      "sigma of the tilt N(0, sigma^2 I) (default: the data's largest column sd; 0 = "
      "no tilt)");
  cmd->add_option("--model", args->run.model,
                  "energy: mlp[:width=,depth=,leak=] (a neural energy) or ica (linear ICA, "
                  "closed-form normalizer) for points; ising, potts, rbm[:hidden=] or "
                  "deep[:width=,depth=] for binary/categorical data (--method "
                  "pcd[:sampler=gwg,steps=10] | plm); see `ebmc list`")
      ->capture_default_str();
  cmd->add_option("--burn-in", args->discrete.burn_in,
                  "discrete: Gibbs sweeps per row when --data names a discrete target")
      ->capture_default_str();
  cmd->add_option("--l1", args->discrete.l1,
                  "discrete: weight of the sparsity penalty (ising: l1 on J; potts: block-l1 "
                  "of eq. 34)")
      ->capture_default_str();
  cmd->add_option("--test-data", args->discrete.test_data,
                  "discrete: states CSV whose log-likelihood under the model AIS estimates");
  cmd->add_option("--truth", args->discrete.truth,
                  "discrete: the target a states CSV was drawn from (ising, ising_er, "
                  "potts_planted spec), for RMSE and contact precision");
  cmd->add_option("--ais-steps", args->discrete.ais_steps,
                  "discrete: AIS temperatures for log Z (default 2000 with --test-data, else "
                  "no AIS)");
  cmd->add_option("--ais-chains", args->discrete.ais_chains, "discrete: AIS chains")
      ->capture_default_str();
  cmd->add_option("--reinit", args->discrete.reinit,
                  "discrete: probability that a drawn persistent chain restarts from the data's "
                  "marginals (replay buffer; with --persistent > --batch)")
      ->capture_default_str();
  cmd->add_option("--warmup", args->discrete.warmup,
                  "discrete: iterations of linear learning-rate warm-up")
      ->capture_default_str();
  cmd->add_option("--ema", args->discrete.ema,
                  "discrete: decay of the exponential moving average of the weights used for "
                  "evaluation and sampling (0 = off; the authors use 0.999)")
      ->capture_default_str();
  cmd->add_flag("--learn-tilt", args->run.learn_tilt,
                "learn the tilt's mean and per-coordinate scale with the energy "
                "(grathwohl-2020 eq. 15)");
  cmd->add_option("--width", args->run.width, "energy network's first hidden width w (then 2w)")
      ->capture_default_str();
  cmd->add_option("--depth", args->run.depth, "energy network's hidden layers of width 2w")
      ->capture_default_str();
  cmd->add_option("--seed", args->run.seed, "random seed (networks, data, chains)")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_option("--out", args->run.out,
                  "output folder: model.pt, flow.pt, training.csv, metrics.json (report.html)")
      ->required();
  cmd->add_option("--checkpoint-every", args->run.checkpoint_every,
                  "iterations between checkpoints DIR/model.pt.ckpt (0 = none)")
      ->capture_default_str();
  cmd->add_option("--weights-every", args->run.weights_every,
                  "iterations between mode-weight estimates in training.csv (default: steps/100)");
  cmd->add_option("--resolution", args->run.resolution, "grid cells per axis for the 2-d metrics")
      ->capture_default_str();
  cmd->add_flag("--resume", args->run.resume,
                "continue from DIR/model.pt.ckpt (or extend DIR/model.pt)");
  cmd->add_flag("--report", args->run.report,
                "also write DIR/report.html: heatmaps of the learned density and the data, "
                "training curves, metrics (needs gnuplot)");
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress on stderr (default: on when stderr is a terminal)");
  cmd->callback([args, tilt]() {
    args->run.tilt_given = tilt->count() > 0;
    if (is_discrete_energy_model(args->run.model)) {
      run_train_discrete_ebm(*args);
    } else {
      run_train_ebm(*args);
    }
  });
}

}  // namespace ebmc::cli
