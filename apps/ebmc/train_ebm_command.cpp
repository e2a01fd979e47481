#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/core/progress.h"
#include "ebmc/ebm/ebm_metrics.h"
#include "ebmc/ebm/ebm_presets.h"
#include "ebmc/ebm/ebm_trainer.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/training_log.h"
#include "ebmc/report/ebm_report.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/targets/data_sets.h"

namespace ebmc::cli {

namespace {

struct TrainEbmArgs {
  std::string data;
  int64_t data_size = 0;  // 0: the preset's
  std::string method = "flowmc";
  std::string preset = "c2";
  int64_t epochs = 0;  // 0: the preset's
  int64_t steps = 0;   // 0: epochs × ⌈rows / batch⌉
  int64_t batch = 0, persistent = 0, negative_chains = -1;
  double learning_rate = 0;  // 0: the preset's
  double l2 = 0;
  double tilt_scale = 0;
  bool tilt_given = false;  // not given: the largest standard deviation of the data's columns
  int64_t width = 32, depth = 3;
  uint64_t seed = 1;
  std::string out;
  int64_t checkpoint_every = 1000;
  int64_t weights_every = 0;  // 0: steps / 100
  int64_t resolution = 200;
  bool resume = false;
  bool report = false;
  bool progress = stderr_is_terminal();
};

std::string fixed(double value, int digits) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

void run_train_ebm(const TrainEbmArgs& args) {
  if (args.report) require_gnuplot("--report");
  // The data first (its dimension sizes everything else), then the preset and the overrides.
  EbmPreset preset = ebm_preset(args.preset, args.method, 2);
  TrainingData data =
      load_training_data(args.data, args.data_size > 0 ? args.data_size : preset.data_size, args.seed);
  const int64_t dim = data.x.size(1);
  preset = ebm_preset(args.preset, args.method, dim);
  EbmTrainerOptions options = preset.trainer;
  if (args.batch > 0) options.batch(args.batch);
  if (args.persistent > 0) options.persistent(args.persistent);
  if (args.negative_chains >= 0) options.negative_chains(args.negative_chains);
  if (args.learning_rate > 0) options.learning_rate(args.learning_rate);
  options.l2(args.l2);
  const int64_t per_epoch = (data.x.size(0) + options.batch() - 1) / options.batch();
  options.steps(args.steps > 0 ? args.steps : (args.epochs > 0 ? args.epochs : preset.epochs) * per_epoch);
  options.checkpoint_every(args.checkpoint_every);
  if (args.resolution < 10) throw InputError("must be >= 10", "--resolution");
  if (args.tilt_given && !(args.tilt_scale >= 0 && std::isfinite(args.tilt_scale))) {
    throw InputError("tilt scale must be finite and >= 0", "--tilt-scale");
  }
  if (args.weights_every < 0) throw InputError("must be >= 0", "--weights-every");
  options.validate();

  OutputFolder folder(args.out, args.resume ? std::vector<std::string>{"metrics.json", "report.html",
                                                                       "training.csv", "flow.pt"}
                                            : std::vector<std::string>{"metrics.json", "report.html",
                                                                       "training.csv", "flow.pt",
                                                                       "model.pt"});
  const std::string model_path = folder.file("model.pt"), checkpoint = model_path + ".ckpt";
  options.checkpoint_path(checkpoint);
  if (!args.resume && std::filesystem::exists(checkpoint)) {
    throw InputError(
        "a checkpoint of an interrupted run exists; pass --resume to continue it or delete it",
        checkpoint);
  }
  const double tilt =
      args.tilt_given ? args.tilt_scale : std::get<0>(data.x.std(0).max(0)).item<double>();
  Rng init_rng(args.seed);
  auto model = std::make_shared<NeuralEnergy>(
      dim, EnergyNetworkOptions().width(args.width).depth(args.depth), tilt, init_rng);
  std::shared_ptr<EbmMethod> method = make_ebm_method(preset.method_spec);
  EbmTrainer trainer(model, method, data.x, options, args.seed);
  if (args.resume) {
    const bool partial = std::filesystem::exists(checkpoint);
    if (!partial && !std::filesystem::exists(model_path)) {
      throw InputError("nothing to resume: neither " + checkpoint + " nor " + model_path +
                           " exists",
                       "--resume");
    }
    trainer.resume(partial ? checkpoint : model_path);
    std::cerr << "resumed at iteration " << trainer.iteration() << " from "
              << (partial ? checkpoint : model_path) << "\n";
  }

  // Mode weights along training (2-d data drawn from a target with known modes).
  const Target* truth = data.truth.get();
  const bool track_weights = dim == 2 && truth != nullptr && true_mode_weights(*truth).defined();
  const int64_t modes = track_weights ? true_mode_weights(*truth).size(0) : 0;
  const int64_t weights_every =
      args.weights_every > 0 ? args.weights_every : std::max<int64_t>(1, options.steps() / 100);
  std::vector<std::string> columns = {"iteration", "loss", "global_accept", "local_accept"};
  for (int64_t k = 1; k <= modes; ++k) columns.push_back("weight_" + std::to_string(k));
  columns.push_back("skipped");
  columns.push_back("seconds");
  TrainingLog log(folder.file("training.csv"), columns);
  const torch::Tensor lo = std::get<0>(data.x.min(0)), hi = std::get<0>(data.x.max(0));
  const torch::Tensor margin = 0.15 * (hi - lo);
  std::vector<double> weights(static_cast<size_t>(modes), std::nan(""));
  auto estimate_weights = [&] {
    const GridDensity grid = grid_density(
        trainer.target(), (lo[0] - margin[0]).item<double>(), (hi[0] + margin[0]).item<double>(),
        (lo[1] - margin[1]).item<double>(), (hi[1] + margin[1]).item<double>(), 100);
    const torch::Tensor mass =
        torch::zeros({modes}, torch::kFloat64)
            .index_add_(0, mode_regions(*truth, grid.points()),
                        grid.log_density.flatten().exp() * grid.cell);
    for (int64_t k = 0; k < modes; ++k) weights[static_cast<size_t>(k)] = mass[k].item<double>();
  };

  const bool redraw = stderr_is_terminal();
  const std::string label = method->name() + "-EBM on " + args.data;
  EbmProgress last;
  install_interrupt_handlers();
  trainer.train([&](const EbmProgress& p) {
    last = p;
    if (track_weights && (p.iteration % weights_every == 0 || p.iteration == p.steps)) {
      estimate_weights();
    }
    std::vector<double> row = {static_cast<double>(p.iteration), p.loss, p.global_accept,
                               p.local_accept};
    row.insert(row.end(), weights.begin(), weights.end());
    row.push_back(static_cast<double>(p.skipped));
    row.push_back(p.seconds);
    log.add(row);
    if (!args.progress) return;
    const int64_t every = redraw ? 10 : std::max<int64_t>(1, p.steps / 20);
    if (p.iteration % every != 0 && p.iteration != p.steps) return;
    std::string line = label + "  iter " + std::to_string(p.iteration) + "/" +
                       std::to_string(p.steps) + "  loss " + fixed(p.loss, 4) + "  global " +
                       fixed(p.global_accept, 3) + "  local " + fixed(p.local_accept, 3);
    if (track_weights) {
      line += "  weights";
      for (double w : weights) line += " " + fixed(w, 3);
    }
    line += "  " + fixed(p.seconds, 1) + " s";
    std::cerr << (redraw ? "\r" : "") << line << (redraw && p.iteration != p.steps ? "" : "\n")
              << std::flush;
  });
  log.write();
  if (trainer.interrupted()) {
    throw Interrupted("interrupted at iteration " + std::to_string(trainer.iteration()) +
                          "; the checkpoint " + checkpoint + " holds it: continue with --resume",
                      interrupt_signal());
  }
  if (last.iteration > 0 && 2 * last.skipped > last.iteration) {
    trainer.save_checkpoint(checkpoint, "failed run");
    throw RunFailed("training failed: " + std::to_string(last.skipped) + " of " +
                        std::to_string(last.iteration) +
                        " iterations had a non-finite loss or gradient; no model written (the "
                        "checkpoint " + checkpoint + " keeps the run)",
                    args.out);
  }
  trainer.save_checkpoint(model_path, args.data);
  std::filesystem::remove(checkpoint);
  if (method->flow()) {
    method->flow()->set_fitted_to("companion of " + model_path);
    save_flow(folder.file("flow.pt"), *method->flow());
  }
  // Metrics after the model is saved (the evaluation pass leaves the flow as it is).
  Rng eval_rng(args.seed + 1);
  GridDensity grid;
  nlohmann::json metrics = ebm_metrics(trainer.target(), *method, trainer.chains(), data.x, truth,
                                       args.resolution, eval_rng, &grid);
  metrics["method"] = preset.method_spec;
  metrics["preset"] = args.preset;
  metrics["data"] = args.data;
  metrics["iterations"] = trainer.iteration();
  metrics["seconds"] = last.seconds;
  write_file_atomically(folder.file("metrics.json"), metrics.dump(2) + "\n");
  if (args.report) {
    std::cerr << "report: "
              << write_ebm_report(args.out, log.path(), dim == 2 ? &grid : nullptr, data.x, truth,
                                  metrics)
              << "\n";
  }
  std::printf("trained %s-EBM on %s: %lld iterations, %.1f s\n", method->name().c_str(),
              args.data.c_str(), static_cast<long long>(trainer.iteration()), last.seconds);
  for (const auto& [key, value] : metrics.items()) {
    if (key != "grid") std::printf("  %s: %s\n", key.c_str(), value.dump().c_str());
  }
  std::printf("model: %s\n", model_path.c_str());
}

}  // namespace

void add_train_ebm_command(CLI::App& app) {
  auto args = std::make_shared<TrainEbmArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train-ebm",
      "Train an energy-based model by maximum likelihood (ULA-EBM, flowMC-EBM, NT-EBM, "
      "CoopFlow) and evaluate it; sample it with `ebmc sample --target ebm:model=DIR/model.pt`");
  cmd->add_option("--data", args->data,
                  "CSV file of points (header + numeric columns), or a target that draws exact "
                  "samples (two_to_one, four_modes, eight_gaussians, rings, gaussian_mixture_4:d=16)")
      ->required();
  cmd->add_option("--method", args->method,
                  "ula | flowmc | ntebm | coopflow [:key=value,...] (see `ebmc list`); options "
                  "given here override the preset's")
      ->capture_default_str();
  cmd->add_option("--preset", args->preset,
                  "hyper-parameters of grenioux-2023: c2 (2:1 mixture), table4 (four modes), "
                  "table5 (8 Gaussians, rings), table7 (high-dimensional mixture)")
      ->capture_default_str();
  cmd->add_option("--data-size", args->data_size, "draws when --data names a target (default: the preset's)");
  cmd->add_option("--epochs", args->epochs, "passes over the data (default: the preset's)");
  cmd->add_option("--steps", args->steps, "iterations (overrides --epochs)");
  cmd->add_option("--batch", args->batch, "data rows per iteration (default: the preset's)");
  cmd->add_option("--persistent", args->persistent, "persistent chains (default: the preset's)");
  cmd->add_option("--negative-chains", args->negative_chains,
                  "negative chains per iteration (default: the preset's; 0 = --batch)");
  cmd->add_option("--lr", args->learning_rate, "Adam learning rate of the EBM (default: the preset's)");
  cmd->add_option("--l2", args->l2, "penalty on the energies, l2 (mean E+^2 + mean E-^2)")
      ->capture_default_str();
  CLI::Option* tilt = cmd->add_option("--tilt-scale", args->tilt_scale,
                  "sigma of the tilt N(0, sigma^2 I) (default: the data's largest column sd; 0 = "
                  "no tilt)");
  cmd->add_option("--width", args->width, "energy network's first hidden width w (then 2w)")
      ->capture_default_str();
  cmd->add_option("--depth", args->depth, "energy network's hidden layers of width 2w")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed (networks, data, chains)")
      ->check(seed_validator())
      ->capture_default_str();
  cmd->add_option("--out", args->out,
                  "output folder: model.pt, flow.pt, training.csv, metrics.json (report.html)")
      ->required();
  cmd->add_option("--checkpoint-every", args->checkpoint_every,
                  "iterations between checkpoints DIR/model.pt.ckpt (0 = none)")
      ->capture_default_str();
  cmd->add_option("--weights-every", args->weights_every,
                  "iterations between mode-weight estimates in training.csv (default: steps/100)");
  cmd->add_option("--resolution", args->resolution, "grid cells per axis for the 2-d metrics")
      ->capture_default_str();
  cmd->add_flag("--resume", args->resume, "continue from DIR/model.pt.ckpt (or extend DIR/model.pt)");
  cmd->add_flag("--report", args->report,
                "also write DIR/report.html: heatmaps of the learned density and the data, "
                "training curves, metrics (needs gnuplot)");
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "progress on stderr (default: on when stderr is a terminal)");
  cmd->callback([args, tilt]() {
    args->tilt_given = tilt->count() > 0;
    run_train_ebm(*args);
  });
}

}  // namespace ebmc::cli
