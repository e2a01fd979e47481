#pragma once
/// @file l2hmc.h
/// L2HMC (Levy, Hoffman, Sohl-Dickstein 2018): HMC whose leapfrog is generalized by learned
/// scalings and translations, trained to maximize expected squared jumped distance.

#include <functional>
#include <string>
#include <vector>

#include "ebmc/core/options.h"
#include "ebmc/learned/l2hmc_chain.h"
#include "ebmc/learned/learned_factor.h"
#include "ebmc/learned/learned_kernel.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

/// How L2HMC's loss measures a jump.
enum class JumpMeasure {
  kPlain,   ///< ‖x′ − x‖², eq. 4
  kScaled,  ///< Σᵢ (x′ᵢ − xᵢ)² / σᵢ²: each coordinate in units of its spread
  kBoth,    ///< the sum of the losses of both
  /// `kScaled`'s loss plus that of the jump of the standardized squares, ½Σᵢ(z′ᵢ² − zᵢ²)² with
  /// z = (x − μ)/σ: a move x → −x (the largest plain jump on a centred Gaussian) scores nothing
  /// there. (Measured: with L fitted it keeps SCG mixing; with L trained by ESJD it does not
  /// prevent antithetic moves.)
  kMoments,
};

/// `plain`, `scaled`, `both`, `moments`: the names of `JumpMeasure`, in enum order.
const std::vector<std::string>& jump_measure_names();

/// Eq. 4's loss λ²/δ − δ/λ² per row [rows] for the moves from `x` to `proposal` [rows, dim],
/// accepted with probability `accept` [rows], δ being the squared jump times `accept` as
/// `measure` defines it (`kBoth`: the sum of the plain and the scaled loss; `kMoments`: the scaled
/// loss plus that of the jump of the standardized squares). `chains` [n ≥ 2, dim] (read without
/// gradient) give each coordinate's mean and variance; unused by `kPlain`.
torch::Tensor l2hmc_jump_loss(JumpMeasure measure, double loss_scale, const torch::Tensor& x,
                              const torch::Tensor& proposal, const torch::Tensor& accept,
                              const torch::Tensor& chains);

/// Options of L2HMC (defaults: levy-2018 appendix E).
struct L2hmcOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  /// The keys of the `l2hmc:` spec and of model files.
  void visit_fields(OptionVisitor& v) {
    v.field("leapfrog", leapfrog_steps(), "generalized leapfrog steps M per transition");
    v.field("hidden", hidden(), "units of the two hidden layers of the x- and v-networks");
    v.field("step_size", step_size(), "initial step size exp(alpha) (trained)");
    v.field("loss_scale", loss_scale(), "scale lambda of the loss (eq. 4)");
    v.field("burn_in", burn_in_weight(), "weight of eq. 5's loss on fresh draws");
    v.choice("jump", jump(), jump_measure_names(),
             "squared jump of the loss: plain (eq. 4), scaled by each coordinate's spread, the "
             "sum of both losses, or scaled plus the jump of the standardized squares");
    v.field("hmc_steps", hmc_steps(),
            "leapfrog steps of a plain HMC transition after each learned one (0 = none)");
    v.field("jitter", jitter(),
            "step size drawn per transition and chain from (1 +- jitter) exp(alpha)");
    v.field("precondition", precondition(),
            "also learn a dense lower-triangular map L (identity at the start) and run in y = "
            "L^-1 x");
    v.field("fit_factor", fit_factor(),
            "with precondition: L is the Cholesky factor of the training chains' covariance, "
            "refit every iteration, not trained by the loss");
    v.field("adapt_steps", adapt_steps(),
            "transitions of the training chains before training in which dual averaging sets "
            "the initial step size for acceptance 0.65 (0 = start at step_size)");
  }
  /// Number M of generalized leapfrog steps per transition.
  TORCH_ARG(int64_t, leapfrog_steps) = 10;
  /// Hidden units of the two hidden layers of the x- and v-networks.
  TORCH_ARG(int64_t, hidden) = 10;
  /// Initial step size ε = exp(α) (α is trained).
  TORCH_ARG(double, step_size) = 0.1;
  /// Scale λ of the loss eq. 4. The default λ² = 0.1 is the value of the authors' released code
  /// (its `scale`); with λ = 1 the reciprocal term dominates and training keeps ε tiny (measured
  /// on SCG: ESJD 2.4 after 600 iterations, against 123 with λ² = 0.1).
  TORCH_ARG(double, loss_scale) = 0.31622776601683794;
  /// Weight of eq. 5's second (burn-in) term, the loss on fresh draws from the initial
  /// distribution; 1 is the paper's loss.
  TORCH_ARG(double, burn_in_weight) = 1.0;
  /// The squared jump δ of the loss. `scaled` divides each coordinate's squared jump by its
  /// variance σᵢ² over the persistent training chains (no gradient through σ), as the authors'
  /// released code does with the posterior scale in its VAE experiment (mnist_vae.py): on
  /// ill-conditioned targets (ICG) the plain ESJD is dominated by the wide coordinates and
  /// ignores the narrow ones. `moments` adds a loss on the jump of the standardized squares
  /// (centred and scaled by the same chains), which antithetic moves x′ ≈ 2μ − x, the ESJD
  /// optimum of a kernel that is (nearly) whitened, do not earn.
  TORCH_ARG(JumpMeasure, jump) = JumpMeasure::kPlain;
  /// Leapfrog steps of a plain HMC transition (step size exp α, unit metric) after every learned
  /// transition, in sampling and on the training chains; 0 = the paper's kernel alone. The ESJD
  /// loss rewards maps that are symmetries of the target: on the MoG, symmetric about the origin,
  /// training finds x → −x (every jump accepted, |x| never changes), so chains swap modes at
  /// every transition but never mix within them (R-hat 2–6 on x₂, measured); the HMC transition
  /// restores mixing at the cost of these extra gradients.
  TORCH_ARG(int64_t, hmc_steps) = 0;
  /// Step-size jitter j in [0, 1): each transition of each chain (in training too) runs with
  /// ε·u, u uniform on (1 − j, 1 + j) (a mixture of valid kernels, still exact). Without it, a
  /// kernel trained by ESJD on a (nearly) whitened Gaussian learns a half period, x′ ≈ −x: the
  /// largest jump, but chains that keep their radius (R-hat 1.36 on SCG with `precondition`).
  TORCH_ARG(double, jitter) = 0;
  /// Also learn a dense lower-triangular linear map L (the proposal-entropy sampler's
  /// preconditioner, identity at the start) and run the whole kernel, networks included, in the
  /// coordinates y = L⁻¹x, the loss still measuring jumps in x. On ill-conditioned targets (ICG,
  /// SCG) one step size serves every direction once L has learned the scales.
  TORCH_ARG(bool, precondition) = false;
  /// With `precondition`: L is not trained by the loss but set at every training iteration to
  /// the Cholesky factor of the training chains' covariance (as Stan's dense metric, from the
  /// chains instead of a warmup window). Trained by the ESJD loss, L and the networks learn
  /// antithetic moves on Gaussians (x′ ≈ −x: the largest jump, but chains that keep their radius;
  /// R-hat 1.56 on SCG after 5000 iterations, measured). Fitted, with `jitter`, they mix on ICG
  /// (R-hat 1.003, ESS/step 0.43 after 1000 iterations) but drift back on SCG by 5000 (R-hat 1.2)
  /// unless `jump=scaled` or `moments` (R-hat 1.003 / 1.005 at 5000).
  TORCH_ARG(bool, fit_factor) = false;
  /// Transitions of the training chains, before the first training iteration, in which Stan's
  /// dual averaging moves ε towards a mean acceptance of 0.65 (the kernel as initialized: HMC
  /// with zero networks); training then starts from the averaged ε. 0 = start at `step_size`.
  /// Where the gradient of the loss with respect to ε is noise — the rough well, whose cosine
  /// term puts curvature 1/η = 100 into every leapfrog step — training does not move ε from a
  /// poor start (rough well: ε stays at 0.10 from 0.1, ESS/step 0.28; measured).
  TORCH_ARG(int64_t, adapt_steps) = 0;
};

/// A point of the augmented state ξ = (x, v) with U(x), ∇U(x) and the accumulated
/// log-determinant of the Jacobian of the map that produced it.
struct L2hmcPoint {
  torch::Tensor x, v, energy, grad;
  torch::Tensor logdet;  ///< [chains]
};

/// The L2HMC kernel: resample v ~ N(0, I) and d ~ U{−1, +1} (the operator R), apply F·L_θ (M
/// generalized leapfrog steps eqs. 1–3 forward for d = +1, their exact inverse, appendix C, for
/// d = −1) and accept with eq. 8, the log-determinant being eq. 13. With Q = S = T = 0 (as
/// initialized) it is HMC with step size ε and M leapfrog steps. M gradient evaluations per
/// transition. With `precondition` all of this runs on U(Ly) in y = L⁻¹x (a linear change of
/// variables: the chain in x stays exact), rows that did not move keeping their x bit for bit.
///
///     auto kernel = std::make_shared<ebmc::L2hmc>(target.dim(),
///     ebmc::L2hmcOptions().leapfrog_steps(10), rng);
class L2hmc : public LearnedKernel {
 public:
  /// Builds the networks (inner layers drawn from `rng`, output layers zero) and the fixed random
  /// masks m¹…m^M.
  L2hmc(int64_t dim, L2hmcOptions options, Rng& rng);

  std::string name() const override { return "l2hmc"; }
  Info step(State& state, Rng& rng) override;
  double step_size() const override;
  nlohmann::json options_json() const override;
  /// ×0.96 every 1000 iterations, no clipping, as the paper.
  Schedule default_schedule() const override { return Schedule::kExponential; }
  double default_clip_norm() const override { return 0.0; }
  /// With `adapt_steps`: dual averaging of ε over that many transitions of `chains` (then
  /// advanced by them); otherwise nothing.
  void prepare_training(const Target& target, torch::Tensor& chains, Rng& rng) override;
  /// Loss eq. 5 (eq. 4 on the training chains and on the fresh draws), Algorithm 1.
  TrainingLoss training_loss(const Target& target, torch::Tensor& chains,
                             const torch::Tensor& fresh, Rng& rng,
                             const BatchShare& share) override;

  /// L_θ for d = +1: M steps of eqs. 1–3 from `start` (whose logdet is ignored).
  L2hmcPoint forward(const Target& target, const L2hmcPoint& start);
  /// L_θ for d = −1, the exact inverse of `forward` (steps t = M … 1, appendix C).
  L2hmcPoint backward(const Target& target, const L2hmcPoint& start);
  /// Forward where `direction` [chains] (bool) is true, backward elsewhere; each row's step size
  /// times `stretch` [chains] when given (`jitter`).
  L2hmcPoint transport(const Target& target, const L2hmcPoint& start,
                       const torch::Tensor& direction, const torch::Tensor& stretch = {});

  /// The masks [M, dim] (1 marks the coordinates updated first).
  const torch::Tensor& masks() const { return masks_; }
  /// The trainable log step size α.
  const torch::Tensor& log_step_size() const { return log_step_size_; }
  /// The learned preconditioner L (the identity without `precondition`).
  torch::Tensor factor() const { return factor_.matrix(); }
  /// Sets L (see `LearnedFactor::set`); throws InputError without `precondition`.
  void set_factor(const torch::Tensor& lower) { factor_.set(lower, "l2hmc:precondition"); }

 private:
  /// Whether `step` may run each chain in raw memory (`L2hmcChain`): a per-chain `rng`, a target
  /// with a fused path and a float64 CPU state.
  bool takes_fused_path(const Target& target, const State& state, const Rng& rng) const;
  /// One transition of `state` on `target` in x: through L (rows that did not move keep their
  /// x bit for bit) with `precondition`, directly otherwise.
  Info move(const Target& target, State& state, Rng& rng);
  /// The transition on `target` (the target itself, or seen through L).
  Info transition(const Target& target, State& state, Rng& rng);
  /// The factors u ~ U(1 − j, 1 + j) [rows] of `jitter` (drawn with `uniform`, [rows] in [0, 1));
  /// undefined (nothing drawn) without jitter.
  torch::Tensor stretch(const std::function<torch::Tensor(int64_t)>& uniform, int64_t rows) const;
  /// `transition` one chain at a time, in parallel over chains.
  Info fused_step(const Target& target, State& state, Rng& rng);
  /// Per-row coefficients of a trajectory with directions d = ±1: for a step size h, the
  /// generalized leapfrog's updates written once for both directions (see `transport`).
  struct Coefficients {
    torch::Tensor sign;    ///< d·h [rows, 1]: scale exponent and log-det factor
    torch::Tensor before;  ///< (1 − d)/2·h: the shift an inverse update applies before scaling
    torch::Tensor after;   ///< (1 + d)/2·h: the shift a forward update applies after scaling
  };
  /// Eq. 1/3 (d = +1) or its inverse eqs. 9/12 (d = −1) on `z` at time encodings `tau` [rows, 2],
  /// with the log-det: v ← (v − before·P) ⊙ exp(sign·S) … written as in the code.
  void momentum_step(L2hmcPoint& z, const torch::Tensor& tau, const Coefficients& half);
  /// The plain HMC transition of `hmc_steps` leapfrog steps on `state` (tensor path).
  Info hmc_transition(const Target& target, State& state, Rng& rng) const;
  /// Half of eq. 2 on the coordinates `update` [rows, dim] marks (or its inverse, eqs. 10–11).
  void position_step(L2hmcPoint& z, const torch::Tensor& update, const torch::Tensor& tau,
                     const Coefficients& full);
  /// −log p(ξ) of the proposal minus that of the start, plus log|J|: the log of eq. 8's ratio.
  static torch::Tensor log_accept_ratio(const L2hmcPoint& start, const L2hmcPoint& proposal);

  L2hmcOptions options_;
  L2hmcNetwork xnet_{nullptr}, vnet_{nullptr};
  torch::Tensor masks_, log_step_size_;
  LearnedFactor factor_;          ///< L; the identity without `precondition`
  torch::Tensor time_encodings_;  ///< τ(t) for t = 0 … M − 1 [M, 2] (fixed; not saved)
  L2hmcWeights plain_;            ///< the weights in raw memory, refreshed when they change
};

}  // namespace ebmc
