#pragma once
/// @file entropy_sampler.h
/// The gradient-informed neural proposal of Li, Chen & Sommer (Entropy 23(3):269, 2021), trained
/// to maximize proposal entropy at a target acceptance rate.

#include <string>
#include <vector>

#include "ebmc/core/options.h"
#include "ebmc/learned/entropy_chain.h"
#include "ebmc/learned/learned_kernel.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

/// Which proposal of li-chen-sommer-2021 appendix A.1.
enum class EntropyVariant {
  kFull,    ///< x′ = x + εz, z = f(z₀; x, ∂U): the full gradient-informed model
  kNoGrad,  ///< variant 1: the same with the gradient set to 0 (a flow conditioned on x)
  kLangevin,  ///< variant 2: x′ = x + εz − ε²/2 ∂U(x) ⊙ exp S(x) + T(x), z = f(z₀; x) without ∂U
};

/// `full`, `nograd`, `langevin`: the names of the variants, in enum order.
const std::vector<std::string>& entropy_variant_names();
/// Parses `full`, `nograd` or `langevin`; throws InputError otherwise.
EntropyVariant parse_entropy_variant(const std::string& text);
/// The name `parse_entropy_variant` reads.
std::string entropy_variant_name(EntropyVariant variant);

/// Options of the proposal-entropy sampler (defaults: appendix A.2, scaled to a CPU).
struct EntropySamplerOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  /// The keys of the `entropy:` spec and of model files.
  void visit_fields(OptionVisitor& v) {
    v.choice("variant", variant(), entropy_variant_names(),
             "full model, ablation 1 (no gradient) or 2 (Langevin with learned noise)");
    v.field("width", width(), "width of the 5-layer ELU MLPs");
    v.field("steps", coupling_steps(), "coupling steps N");
    v.field("step_size", step_size(), "scale epsilon of x' = x + epsilon z (fixed)");
    v.field("target_accept", target_accept(), "acceptance rate the training tracks");
    v.field("beta_rate", beta_rate(), "learning rate of log beta per iteration");
    v.field("precondition", precondition(),
            "also learn a dense lower-triangular map L (identity at the start): x' = x + "
            "epsilon L z, the gradients seen through L");
  }
  TORCH_ARG(EntropyVariant, variant) = EntropyVariant::kFull;
  /// Width of the 5-layer ELU MLPs (Table A.1: 32 … 1024).
  TORCH_ARG(int64_t, width) = 64;
  /// Number N of coupling steps of f (Table A.1: 1 … 4).
  TORCH_ARG(int64_t, coupling_steps) = 1;
  /// The scale ε of x′ = x + εz (0.1 in all the paper's sampling experiments); fixed.
  TORCH_ARG(double, step_size) = 0.1;
  /// Acceptance rate the training tracks (Table A.1: 0.6 … 0.9).
  TORCH_ARG(double, target_accept) = 0.7;
  /// Learning rate of log β, the weight of the acceptance term, per training iteration.
  TORCH_ARG(double, beta_rate) = 0.05;
  /// Also learn a dense lower-triangular linear map L (a preconditioner, identity at the start):
  /// the sampler then runs in the coordinates y = L⁻¹x, x′ = x + εLz, with the gradients L^T∂U.
  /// For posteriors whose scales differ by much (German credit: standard deviations 0.05 … 0.54
  /// along the principal axes), which a fixed ε cannot serve.
  TORCH_ARG(bool, precondition) = false;
};

/// One proposal x → x′ and its log density.
struct EntropyProposal {
  torch::Tensor x;        ///< x′ [chains, dim]
  torch::Tensor log_q;    ///< log q(x′ | x) [chains]
  torch::Tensor log_det;  ///< log |∂z/∂z₀| [chains]
  torch::Tensor base;     ///< z₀
  int64_t gradient_evals = 0;
};

/// The proposal-entropy sampler. The proposal is an invertible map of Gaussian noise,
/// z₀ ~ N(0, I): z⁰ = z₀ ⊙ exp R(x, ∂U(x)), then for each coupling step n with a fixed random
/// mask mⁿ (⌊D/2⌋ ones), two affine coupling updates in the L2HMC form
///   z ← m̄ ⊙ z + m ⊙ [z ⊙ exp S − ε/2 (∂U(y) ⊙ exp Q + T)],   y = x + ε (m̄ ⊙ z),
/// (then the same with m and m̄ swapped), where S, Q, T = NN_n(x, m̄ ⊙ z, ∂U(y)) depend only on
/// the part of z the update leaves alone, so the Jacobian is triangular with log-determinant
/// Σ R + Σ m ⊙ S + Σ m̄ ⊙ S. Then x′ = x + εz and
///   log q(x′|x) = log N(z₀) − log|∂z/∂z₀| − D log ε   (change of variables).
/// The MH ratio uses log q(x|x′), computed by inverting the map conditioned on x′, so the chain
/// is exact. With S = Q = T = R = 0 (as initialized) the proposal is a MALA-like move.
/// Gradient evaluations per transition: 4N + 1 (full), 1 (Langevin variant), 0 (no gradient).
///
/// With `precondition`, the whole construction runs in the coordinates y = L⁻¹x of a learned
/// lower-triangular L = (I + tril(P, −1)) diag(exp diag P) (P = 0 at the start): the gradients the
/// networks see are L^T∂U, the gradient points are y = x + εL(m̄ ⊙ z), x′ = x + εLz, and
/// log q(x′|x) gains −log|det L| = −Σ diag P (which cancels in the MH ratio but not in the
/// entropy the training maximizes).
///
/// Training (li-chen-sommer-2021 §3.3 as the issue states it; the paper's main text was not
/// available here): maximize E[H(q(·|x))] + β E[log a(x′|x)], H estimated by −log q(x′|x) of the
/// reparameterized proposal, with log β moved each iteration by beta_rate·(target − acceptance)
/// so that the acceptance tracks `target_accept`.
class EntropySampler : public LearnedKernel {
 public:
  /// Builds the networks (inner layers from `rng`, output layers zero) and the masks.
  EntropySampler(int64_t dim, EntropySamplerOptions options, Rng& rng);

  std::string name() const override { return "entropy"; }
  Info step(State& state, Rng& rng) override;
  double step_size() const override { return options_.step_size(); }
  nlohmann::json options_json() const override;
  bool uses_gradient() const override { return options_.variant() != EntropyVariant::kNoGrad; }
  TrainingLoss training_loss(const Target& target, torch::Tensor& chains,
                             const torch::Tensor& fresh, Rng& rng,
                             const BatchShare& share) override;

  /// Draws x′ from q(·|x) with base noise `base`; `grad` is ∂U(x) (undefined for kNoGrad).
  EntropyProposal propose(const Target& target, const torch::Tensor& x, const torch::Tensor& grad,
                          const torch::Tensor& base);
  /// log q(x′|x) by inverting the map; also returns the recovered z₀ in `base`.
  EntropyProposal log_density(const Target& target, const torch::Tensor& x,
                              const torch::Tensor& grad, const torch::Tensor& x_next);
  /// The learned preconditioner L (lower-triangular, positive diagonal; the identity without
  /// `precondition`).
  torch::Tensor factor() const;
  /// Sets L to `lower` (its strictly upper part is ignored); throws InputError without
  /// `precondition`, for a wrong shape or a diagonal that is not positive.
  void set_factor(const torch::Tensor& lower);
  /// The current weight β of the acceptance term.
  double beta() const { return std::exp(log_beta_.item<double>()); }

 private:
  /// Whether `step` may run each chain in raw memory (`EntropyChain`): a per-chain `rng`, a
  /// target with a fused path and a float64 CPU state.
  bool takes_fused_path(const State& state, const Rng& rng) const;
  /// `step` one chain at a time, in parallel over chains.
  Info fused_step(State& state, Rng& rng);
  /// Gradient evaluations per transition: 4N + 1 (full), 1 (Langevin variant), 0 (no gradient).
  int64_t gradient_evals_per_transition() const;
  /// A proposal from x with U and ∇U at both ends and the log MH ratio.
  struct Transition {
    EntropyProposal forward;
    EnergyAndGrad next;       ///< U(x′) and (when used) ∇U(x′)
    torch::Tensor log_ratio;  ///< U(x) − U(x′) + log q(x|x′) − log q(x′|x)
    int64_t gradient_evals = 0;
  };
  /// Draws x′ ~ q(·|x), evaluates it and computes the MH log ratio (what `step` and
  /// `training_loss` share).
  Transition transition(const Target& target, const torch::Tensor& x, const EnergyAndGrad& here,
                        Rng& rng);
  /// ∂U at y for the full model; zeros (no evaluation) for the variants without gradient.
  torch::Tensor coupling_gradient(const Target& target, const torch::Tensor& y,
                                  int64_t& gradient_evals) const;
  /// The Langevin variant's drift −ε²/2 ∂U(x) ⊙ exp S(x) + T(x); zero for the others.
  torch::Tensor drift(const torch::Tensor& x, const torch::Tensor& grad);
  /// log R(x, ∂U(x)), the log scale of the base noise.
  torch::Tensor base_log_scale(const torch::Tensor& x, const torch::Tensor& grad);

  EntropySamplerOptions options_;
  StepIndexedMlp coupling_{nullptr}, base_scale_{nullptr}, langevin_{nullptr};
  torch::Tensor masks_, log_beta_;
  LearnedFactor factor_;  ///< L; the identity without `precondition`
  EntropyWeights plain_;  ///< the weights in raw memory, refreshed when they change
};

}  // namespace ebmc
