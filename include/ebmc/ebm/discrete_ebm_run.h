#pragma once
/// @file discrete_ebm_run.h
/// One discrete EBM training run as `ebmc train-ebm --model ising` does it (grathwohl-2021
/// section 7 / F.2): data from a states CSV or drawn from a known Ising model by long Gibbs runs,
/// an Ising model with dense learned couplings trained by PCD (any discrete sampler) or by the
/// pseudo-likelihood baseline, the learned J, training curve and metrics in an output folder.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/ebm/discrete_pcd.h"

namespace ebmc {

/// What to train and where to put it.
struct DiscreteEbmRunOptions {
  std::string data;            ///< states CSV, or a discrete target spec (ising, ising_er)
  int64_t data_size = 2000;    ///< rows drawn when `data` is a target
  int64_t burn_in = 200;       ///< Gibbs sweeps per drawn row (one chain per row)
  std::string method = "pcd";  ///< pcd[:sampler=gwg,steps=10] | plm
  int64_t steps = 1000, batch = 256;
  double learning_rate = 1e-3, l1 = 0.01;
  uint64_t seed = 1;
  std::string out;
  int64_t checkpoint_every = 1000;  ///< PCD iterations between OUT/model.pt.ckpt (0 = none)
  bool resume = false;              ///< continue OUT/model.pt.ckpt (or extend OUT/model.pt)
  bool report = false;              ///< also OUT/report.html: metrics and training curves
};

/// Called after every PCD iteration.
using DiscreteEbmObserver = std::function<void(const DiscretePcdProgress&)>;

/// Trains and writes OUT/couplings.csv (J), OUT/bias.csv, OUT/training.csv and OUT/model.pt
/// (PCD: its resumable state) and OUT/metrics.json (`rmse`, `log_rmse` against the true J when
/// the data came from a model). Throws InputError for bad options or data before training
/// starts, Interrupted after a checkpoint on SIGINT/SIGTERM, RunFailed when most iterations had
/// non-finite gradients.
nlohmann::json run_discrete_ebm_training(const DiscreteEbmRunOptions& options,
                                         const DiscreteEbmObserver& observe = {});

}  // namespace ebmc
