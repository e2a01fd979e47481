#pragma once
/// @file lsd.h
/// The Learned Stein Discrepancy (grathwohl-2020): a neural critic f: ℝᴰ → ℝᴰ trained to
/// maximize E_p[∇log q(x)ᵀf(x) + tr ∇f(x)] − λE_p‖f(x)‖² on data from p, selected on a
/// validation split, and evaluated on a held-out test split (model comparison, section 5.1) or
/// turned into a one-sided z-test (goodness of fit, section 5.2).

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/distributed/data_parallel.h"
#include "ebmc/learned/networks.h"
#include "ebmc/stein/stein_kernel.h"

namespace ebmc {

/// What the critic is trained for.
enum class LsdObjective {
  kDiscrepancy,  ///< eq. 11 − λ·eq. 8; validation by μ − σ (appendix A): model comparison
  kPower,  ///< eq. 12 (mean/sd of the Stein values) − λ·eq. 8; validation by μ/σ: testing
};

/// Options of the LSD (defaults: grathwohl-2020 B.1).
struct LsdOptions {
  int64_t hidden = 300;          ///< critic width
  int64_t layers = 2;            ///< critic hidden layers (Swish)
  double dropout = 0.1;          ///< dropout rate of the critic's hidden layers while training
  double weight_decay = 5e-4;    ///< Adam weight decay on the critic
  double lambda = 0.5;           ///< λ of the L2 penalty (eq. 8)
  int64_t steps = 1000;          ///< Adam steps
  double learning_rate = 1e-3;   ///< Adam's
  int64_t batch = 0;             ///< rows per step (0 = the whole training split, as B.1)
  int64_t validate_every = 100;  ///< steps between validations (the best critic is kept)
  double train_fraction = 0.8, validation_fraction = 0.1;  ///< the rest is the test split
  LsdObjective objective = LsdObjective::kDiscrepancy;
};

/// Stein values s_f(x) = ∇log q(x)ᵀf(x) + tr ∇f(x), [n], for the critic's output `f` at `x`
/// (which must require grad and be what `f` was computed from) and the model's `score`: the
/// trace exactly (D vector–Jacobian products) or by Hutchinson's estimator εᵀ∇f ε (one, eq. 10).
/// `create_graph` keeps the graph for a training step.
torch::Tensor stein_values(const torch::Tensor& x, const torch::Tensor& f,
                           const torch::Tensor& score, bool exact_trace, Rng& rng,
                           bool create_graph);

/// The critic's training objective on `x` with the model's `score` (both [n, D], no grad): the
/// mean Stein value by Hutchinson's trace (eq. 11), or mean/sd for `power` (eq. 12), minus
/// λ·E‖f‖² (eq. 8), with dropout at `dropout`; differentiable in the critic's parameters.
/// Data-parallel (not with `power`): `x` holds `share`'s rows and the gain is this rank's part.
torch::Tensor lsd_critic_gain(Mlp& critic, const torch::Tensor& x, const torch::Tensor& score,
                              double lambda, double dropout, bool power, Rng& rng,
                              const BatchShare& share = BatchShare());

/// The LSD of `model` on the data `x`: critic trained on the training split, the critic of the
/// best validation statistic kept, then on the test split `statistic` = mean Stein value (the
/// LSD), `extra.stderr` = sd/√n, `extra.z` = √n·mean/sd and `p_value` = 1 − Φ(z).
SteinTestResult lsd_test(const Target& model, const torch::Tensor& x, const LsdOptions& options,
                         Rng& rng);

/// The LSD of the optimal critic of eq. 9, f* = (∇log q − ∇log p)/(2λ), when the data's own
/// density p is known: E_p‖∇log q − ∇log p‖²/(2λ), estimated on `x` (mean and stderr).
std::pair<double, double> optimal_lsd(const Target& model, const Target& truth,
                                      const torch::Tensor& x, double lambda);

}  // namespace ebmc
