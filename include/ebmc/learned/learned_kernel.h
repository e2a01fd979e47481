#pragma once
/// @file learned_kernel.h
/// The contract of trainable kernels: a Kernel (for sampling) that is also a torch Module (for
/// training with torch::optim and saving with torch::serialize) and exposes its training loss.

#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ebmc/core/kernel.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/learned/networks.h"
#include "ebmc/learned/optimization.h"

namespace ebmc {

/// What one training iteration of a learned kernel computed.
struct TrainingLoss {
  torch::Tensor loss;  ///< scalar to minimize, differentiable in the kernel's parameters
  double accept = 0;   ///< mean Metropolis-Hastings acceptance probability over the batch
  double esjd = 0;     ///< mean expected squared jump ‖x′ − x‖²·A over the batch
  double entropy = std::nan("");  ///< mean proposal entropy (proposal-entropy sampler only)
};

/// The target a kernel was trained for, stored in model files so that `init` can refuse another.
struct TrainedFor {
  std::string target_spec;  ///< as given on the command line, e.g. `icg:d=50`
  std::string target_name;  ///< Target::name()
  int64_t dim = 0;
  torch::Tensor fingerprint;  ///< U at fixed probe points: tells apart same-named targets
};

/// What `LearnedKernel::init` checks a target against: `spec`, the target's name and dimension
/// and its energies at four fixed probe points (so `icg` and `gaussian`, or two funnels with
/// different σ, are told apart although they share a name and a dimension).
TrainedFor describe_target(const std::string& spec, const Target& target);

/// A trainable kernel. Subclasses implement the transition (`step`) and the training objective
/// (`training_loss`); `SamplerTrainer` owns the optimizer, schedule, clipping and checkpoints.
///
///     auto kernel = ebmc::make_learned_kernel("l2hmc:leapfrog=10", target.dim(), 1);
///     ebmc::State state = kernel->init(target, x0);
///     ebmc::Info info = kernel->step(state, rng);
class LearnedKernel : public Kernel, public torch::nn::Module {
 public:
  explicit LearnedKernel(int64_t dim);

  /// Short name (`l2hmc`, `entropy`); redeclared to hide torch::nn::Module::name.
  std::string name() const override = 0;

  /// Dimension of the states the kernel was built for.
  int64_t dim() const { return dim_; }
  /// The options the kernel was built with, as the JSON its factory reads back.
  virtual nlohmann::json options_json() const = 0;
  /// The learning-rate schedule of the kernel's paper (`SamplerTrainer`'s default for it).
  virtual Schedule default_schedule() const { return Schedule::kCosine; }
  /// The gradient-norm clip of the kernel's paper; 0 = none.
  virtual double default_clip_norm() const { return 10.0; }
  /// Whether the kernel uses ∇U (if not, states carry no gradient).
  virtual bool uses_gradient() const { return true; }

  /// One stochastic evaluation of the training objective on the persistent training chains
  /// `chains` [batch, dim] (which it then advances by one Metropolis-Hastings step of the current
  /// kernel) and on `fresh` draws from the initial distribution (used by objectives that reward
  /// burn-in, e.g. L2HMC's eq. 5). Data-parallel (`share` not whole): `chains` and `fresh` are
  /// the whole batch on every rank; the kernel evaluates `share`'s rows, draws their random
  /// numbers through `share`, returns its part of the loss (`share.mean`) and the batch's
  /// statistics (`share.batch_means`), and leaves the whole advanced batch in `chains`
  /// (`share.gather`).
  virtual TrainingLoss training_loss(const Target& target, torch::Tensor& chains,
                                     const torch::Tensor& fresh, Rng& rng,
                                     const BatchShare& share) = 0;

  /// Runs once before the first training iteration (not on resume), with the whole batch of
  /// training chains on every rank: a kernel may set up what its loss cannot learn well (L2HMC:
  /// the initial step size by dual averaging) and advance `chains`. Deterministic given `rng`,
  /// so every rank of a data-parallel run ends in the same state. The default does nothing.
  virtual void prepare_training(const Target& /*target*/, torch::Tensor& /*chains*/, Rng& /*rng*/) {
  }

  /// Binds the kernel to `target`: refuses a target other than the one recorded in
  /// `trained_for()` (when set: name, dimension and probe energies must match) or a dimension
  /// other than `dim()`, then evaluates U (and ∇U).
  State init(const Target& target, const torch::Tensor& x0) override;

  const TrainedFor& trained_for() const { return trained_for_; }
  void set_trained_for(TrainedFor trained_for) { trained_for_ = std::move(trained_for); }
  /// How the kernel was trained (`TrainerOptions::to_json` and the seed; null if unknown): the
  /// model file records it beside the kernel's own options.
  const nlohmann::json& training() const { return training_; }
  void set_training(nlohmann::json training) { training_ = std::move(training); }

  /// The arithmetic of the networks on the fused sampling path (per-chain streams, a target with
  /// a fused path): float64 unless set. Training and the tensor path always run in float64.
  void set_network_precision(NetworkPrecision precision) { network_precision_ = precision; }
  NetworkPrecision network_precision() const { return network_precision_; }

 protected:
  /// U at `x` and, for kernels that use it, ∇U (undefined otherwise).
  EnergyAndGrad evaluate(const Target& target, const torch::Tensor& x) const;

 protected:
  /// True on the first call and whenever a parameter or buffer changed since the previous call
  /// (an optimizer step, `load`, a move): kernels refresh their raw-memory copies of the networks
  /// (`PlainLinear`) when it says so.
  bool weights_changed();

 private:
  int64_t dim_;
  TrainedFor trained_for_;
  nlohmann::json training_;
  std::vector<std::pair<const void*, int64_t>> weights_seen_;  ///< (storage, version) per tensor
  NetworkPrecision network_precision_ = NetworkPrecision::kFloat64;
};

/// log N(z; 0, I) per row of z [chains, dim].
torch::Tensor standard_normal_log_density(const torch::Tensor& z);

/// log min(1, exp(log_ratio)) with NaN (a proposal with non-finite energy) mapped to −∞, for
/// losses that reward acceptance.
torch::Tensor log_accept_probability(const torch::Tensor& log_ratio);

/// Keeps the proposal rows where a uniform draw falls below exp(log_accept): the MH step that
/// advances persistent training chains (no gradient flows through it); data-parallel, `rng` is a
/// rank's view of the stream (`BatchShare::rows_of`) and `chains` its rows.
torch::Tensor advance_training_chains(const torch::Tensor& chains, const torch::Tensor& proposal,
                                      const torch::Tensor& log_accept, Rng& rng);

}  // namespace ebmc
