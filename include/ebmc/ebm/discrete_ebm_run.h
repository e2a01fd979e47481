#pragma once
/// @file discrete_ebm_run.h
/// One discrete EBM training run as `ebmc train-ebm --model ising|potts|rbm|deep` does it
/// (grathwohl-2021 sections 7–8, appendices F.2, H, I): data from a states CSV or drawn from a
/// known model by long Gibbs runs, the model trained by PCD (any discrete sampler, replay
/// buffer, EMA, warm-up) or by the pseudo-likelihood baseline, recovery metrics against the
/// true couplings, test log-likelihood by AIS, the learned couplings, samples, training curve
/// and metrics in an output folder.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "ebmc/ebm/discrete_pcd.h"

namespace ebmc {

/// What to train and where to put it.
struct DiscreteEbmRunOptions {
  std::string model = "ising";  ///< ising | potts | rbm[:hidden=] | deep[:width=,depth=]
  std::string data;  ///< states CSV, or a discrete target spec (ising, ising_er, potts_planted…)
  std::string test_data;     ///< states CSV for the test log-likelihood (AIS), optional
  std::string truth;         ///< target spec whose couplings a states CSV was drawn from (metrics)
  int64_t data_size = 2000;  ///< rows drawn when `data` is a target
  int64_t burn_in = 200;     ///< Gibbs sweeps per drawn row (one chain per row)
  std::string method = "pcd";  ///< pcd[:sampler=gwg,steps=10] | plm
  int64_t steps = 1000, batch = 256;
  int64_t buffer = 0;  ///< persistent chains (0 = batch)
  double reinit = 0;   ///< restart probability of a drawn chain (replay buffer)
  int64_t warmup = 0;  ///< learning-rate warm-up iterations
  double ema = 0;      ///< EMA decay of the weights (0 = off; evaluation uses the EMA weights)
  double learning_rate = 1e-3, l1 = 0.01;
  int64_t ais_steps = 0;     ///< AIS temperatures for the log-likelihoods (0: 2000 with test data)
  int64_t ais_chains = 100;  ///< AIS chains
  uint64_t seed = 1;
  std::string out;
  int64_t checkpoint_every = 1000;  ///< PCD iterations between OUT/model.pt.ckpt (0 = none)
  bool resume = false;              ///< continue OUT/model.pt.ckpt (or extend OUT/model.pt)
  bool report = false;  ///< also OUT/report.html: metrics, couplings, samples, training curves
  /// Data-parallel PCD over this group (null: one process); rank 0 alone writes the folder,
  /// reports and evaluates, the other ranks return after training (empty metrics).
  ProcessGroup* group = nullptr;
};

/// Called after every PCD iteration.
using DiscreteEbmObserver = std::function<void(const DiscretePcdProgress&)>;

/// `rows` states of `target`, each the last state of its own systematic-scan Gibbs chain after
/// `burn_in` sweeps from a uniformly random start (appendix F.2's long Gibbs runs, scaled).
torch::Tensor draw_training_rows(const DiscreteTarget& target, int64_t rows, int64_t burn_in,
                                 uint64_t seed);

/// Precision of the `top` strongest pairs i < j of `strengths` [D, D] against the pairs where
/// `truth` [D, D] is nonzero (with `top` = the number of true pairs this is also the recall).
double contact_precision(const torch::Tensor& strengths, const torch::Tensor& truth, int64_t top);

/// Trains and writes to OUT: model.pt (PCD: its resumable state; `--target discrete_ebm:model=`
/// samples it), training.csv, metrics.json (`rmse`, `log_rmse` and contact precision against
/// the true couplings when the data came from a model; train/test log-likelihood by AIS with
/// `test_data`), couplings.csv (Ising: J; Potts: ‖J_ij‖) and bias.csv (Ising), samples.csv (the
/// negative chains at the end). Throws InputError for bad options or data before training
/// starts, Interrupted after a checkpoint on SIGINT/SIGTERM, RunFailed when most iterations had
/// non-finite gradients.
nlohmann::json run_discrete_ebm_training(const DiscreteEbmRunOptions& options,
                                         const DiscreteEbmObserver& observe = {});

}  // namespace ebmc
