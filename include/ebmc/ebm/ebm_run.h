#pragma once
/// @file ebm_run.h
/// One EBM training run as `ebmc train-ebm` and `ebmc bench flowmc-ebm` do it: data, preset,
/// model, trainer, mode weights along training, checkpoints, the saved model and flow, metrics
/// and report in an output folder.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ebmc/ebm/ebm_trainer.h"

namespace ebmc {

/// What to train and where to put it (0 / negative / empty: the preset's or a default).
struct EbmRunOptions {
  std::string data;       ///< CSV file or a target that draws exact samples
  int64_t data_size = 0;  ///< draws when `data` names a target (0: the preset's)
  std::string method = "flowmc";
  std::string preset = "c2";
  int64_t epochs = 0, steps = 0;  ///< steps overrides epochs; both 0: the preset's epochs
  int64_t batch = 0, persistent = 0, negative_chains = -1;
  double learning_rate = 0, l2 = 0;
  bool tilt_given = false;  ///< false: σ = the data's largest column sd
  double tilt_scale = 0;
  std::string model = "mlp";  ///< model spec (`mlp` takes width/depth below unless it names them)
  bool learn_tilt = false;    ///< learn the tilt's mean and scale (grathwohl-2020 eq. 15)
  int64_t width = 32, depth = 3;
  uint64_t seed = 1;
  std::string out;  ///< output folder (locked, stale outputs removed)
  int64_t checkpoint_every = 1000;
  int64_t weights_every = 0;  ///< 0: steps / 100
  int64_t resolution = 200;
  bool resume = false;
  bool report = false;
  /// Data-parallel training over this group (null: one process); rank 0 alone writes the
  /// folder, reports and evaluates, the other ranks return after training.
  ProcessGroup* group = nullptr;
};

/// What a run produced.
struct EbmRunResult {
  nlohmann::json metrics;                         ///< also in OUT/metrics.json
  std::vector<int64_t> weight_iterations;         ///< when the mode weights were estimated
  std::vector<std::vector<double>> weight_curve;  ///< the learned mode weights then
  std::string method_spec;                        ///< the method with the preset's options
  int64_t iterations = 0;
  double seconds = 0;
  std::string report;  ///< path of OUT/report.html when written
};

/// Called after every iteration with the trainer's progress and the latest mode-weight estimate
/// (empty when the data has no known modes).
using EbmRunObserver = std::function<void(const EbmProgress&, const std::vector<double>&)>;

/// Runs the training. Throws InputError for bad options or data (before training starts),
/// Interrupted after a checkpoint on SIGINT/SIGTERM (when the caller installed the handlers),
/// RunFailed when most iterations had non-finite gradients (the checkpoint keeps the run).
EbmRunResult run_ebm_training(const EbmRunOptions& options, const EbmRunObserver& observe = {});

}  // namespace ebmc
