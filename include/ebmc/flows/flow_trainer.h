#pragma once
/// @file flow_trainer.h
/// Fitting a flow: forward KL (maximum likelihood on samples) or reverse KL (on a target's
/// energy), with Adam, a learning-rate schedule, atomic checkpoints and bit-exact resumption.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/flows/flow.h"
#include "ebmc/learned/optimization.h"
#include "ebmc/learned/training_loop.h"

namespace ebmc {

/// What a flow is fitted to minimize.
enum class FlowObjective {
  kForwardKl,  ///< KL(p ‖ λ): −E_data[log λ(x)], maximum likelihood on samples
  kReverseKl,  ///< KL(λ ‖ π): E_λ[log λ(x) + U(x)] (+ log Z), on a target's energy
};

/// Parses `forward` or `reverse`; throws InputError at `--objective` otherwise.
FlowObjective parse_flow_objective(const std::string& text);

/// Options of `FlowTrainer`.
struct FlowTrainerOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  TORCH_ARG(int64_t, steps) = 2000;  ///< Adam steps
  TORCH_ARG(int64_t, batch) = 256;   ///< data rows (forward) or flow draws (reverse) per step
  TORCH_ARG(double, learning_rate) = 1e-2;
  TORCH_ARG(double, min_learning_rate) = 1e-4;
  TORCH_ARG(Schedule, schedule) = Schedule::kCosine;
  TORCH_ARG(double, clip_norm) = 10.0;           ///< gradient L2-norm clip (0 = off)
  TORCH_ARG(int64_t, checkpoint_every) = 500;    ///< iterations between checkpoints (0 = never)
  TORCH_ARG(std::string, checkpoint_path) = "";  ///< empty = no checkpoints
};

/// What the trainer reports after each iteration.
struct FlowTrainingProgress {
  int64_t iteration = 0, steps = 0;
  double loss = 0;  ///< forward: mean −log λ of the batch; reverse: mean log λ + U (KL − log Z)
  double learning_rate = 0;
  int64_t skipped = 0;  ///< iterations whose loss or gradient was not finite (no update)
  double seconds = 0;
};

/// −mean log λ(x) over the rows of x: the forward-KL (maximum-likelihood) loss, differentiable in
/// the flow's parameters. What flowMC's adaptation and flowMC-EBM's flow update minimize too.
/// With a rank's `share` of a batch (x its rows), the rank's part of the batch's mean
/// (`BatchShare::mean`): the parts sum to the whole batch's loss over the ranks.
torch::Tensor forward_kl_loss(Flow& flow, const torch::Tensor& x,
                              const BatchShare& share = BatchShare());

/// The reverse-KL loss on `batch` fresh flow draws: `value` = mean(log λ(x) + U(x)) over rows
/// with finite U, `surrogate` a differentiable scalar with the same gradient that uses the
/// target's (analytic) ∇U, so any Target works, also non-differentiable ones.
struct ReverseKlLoss {
  double value = 0;
  torch::Tensor surrogate;
};
ReverseKlLoss reverse_kl_loss(Flow& flow, const Target& target, int64_t batch, Rng& rng);

/// The parts of the reverse-KL loss of base draws `z` [rows, dim]: sums over the rows with
/// finite U of log λ(x) + U(x) (`value_sum`) and of the surrogate (`surrogate_sum`), and how many
/// rows were finite (`finite_rows`). `reverse_kl_loss` divides both sums by the finite rows;
/// data-parallel training divides each rank's sums by the finite rows of all ranks.
struct ReverseKlTerms {
  double value_sum = 0;
  torch::Tensor surrogate_sum;
  double finite_rows = 0;
};
ReverseKlTerms reverse_kl_terms(Flow& flow, const Target& target, const torch::Tensor& z);

/// Fits a flow by Adam on either objective.
///
///     ebmc::FlowTrainer trainer(flow, data, ebmc::FlowTrainerOptions().steps(3000), 1);
///     trainer.train([](const ebmc::FlowTrainingProgress& p) { ... });
///     ebmc::save_flow("flow.pt", *flow);
class FlowTrainer {
 public:
  /// Forward KL on the rows of `data` [n, dim] (minibatches drawn with replacement).
  FlowTrainer(std::shared_ptr<Flow> flow, torch::Tensor data, FlowTrainerOptions options,
              uint64_t seed);
  /// Reverse KL on `target` (which must outlive the trainer).
  FlowTrainer(std::shared_ptr<Flow> flow, const Target& target, FlowTrainerOptions options,
              uint64_t seed);

  /// Trains up to `steps` iterations, calling `report` after each one; stops early (after a
  /// checkpoint) on SIGINT/SIGTERM.
  void train(const std::function<void(const FlowTrainingProgress&)>& report = nullptr);
  /// Writes flow, optimizer, random state and iteration count atomically to `path`.
  void save_checkpoint(const std::string& path);
  /// Restores them from a checkpoint of the same configuration; throws InputError naming what
  /// differs (flow kind, options, dimension) or a file that is not a flow checkpoint.
  void resume(const std::string& checkpoint);
  /// Data-parallel training over `group`'s ranks (which must outlive the trainer): every rank
  /// draws the whole batch's random numbers from the same seed and evaluates its contiguous
  /// share of the rows; gradients and losses are summed over the ranks before every step, so
  /// the parameters are those of one process with the whole batch (to rounding). Checkpoints
  /// (rank 0's) record the world size; resuming with another one is refused. Throws InputError
  /// when the batch has fewer rows than ranks.
  void set_data_parallel(ProcessGroup& group);

  int64_t iteration() const { return loop_.iteration; }
  bool interrupted() const { return loop_.interrupted; }
  FlowObjective objective() const {
    return target_ ? FlowObjective::kReverseKl : FlowObjective::kForwardKl;
  }

 private:
  FlowTrainer(std::shared_ptr<Flow> flow, FlowTrainerOptions options, uint64_t seed);
  /// One loss evaluation (backward done) and its reported value.
  double loss_and_backward();

  std::shared_ptr<Flow> flow_;
  torch::Tensor data_;
  const Target* target_ = nullptr;
  FlowTrainerOptions options_;
  Rng rng_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  TrainingLoopState loop_;
  ProcessGroup* group_ = nullptr;  ///< data-parallel: the ranks; null: one process
  BatchShare share_;               ///< this rank's rows of each batch (whole: one process)
};

}  // namespace ebmc
