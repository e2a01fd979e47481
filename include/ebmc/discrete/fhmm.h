#pragma once
/// @file fhmm.h
/// The posterior p(x | y) of a factorial hidden Markov model (Gibbs-With-Gradients appendix G).

#include "ebmc/core/options.h"
#include "ebmc/core/rng.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// Fixed parameters of a factorial HMM with L time steps and K binary factors.
struct FhmmParameters {
  torch::Tensor weights;  ///< W, [K]: y_t ~ N(Wᵀx_t + b, σ²)
  double offset = 0.0;    ///< b
  double noise_variance = 0.5;
  double initial_on = 0.1;  ///< α: p(x_1k = 1)
  double stay = 0.95;       ///< β: p(x_{t+1,k} = x_{t,k})
};

/// f(x) = log p(x) + log p(y | x) for x ∈ {0,1}^{L×K} flattened to D = L·K sites (site t·K + k
/// is factor k at time t): p(x_1k) = Bernoulli(α), x_{t+1,k} keeps x_{t,k} with probability β,
/// and y_t ~ N(Wᵀx_t + b, σ²). Written with smooth products so that the relaxed gradient exists.
///
///     ebmc::Rng rng(0);
///     ebmc::Fhmm fhmm = ebmc::Fhmm::random(1000, 10, rng);
class Fhmm : public DiscreteTarget {
 public:
  Fhmm(FhmmParameters parameters, torch::Tensor observations);
  /// W, b ~ N(0, 1), σ² = 0.5, α = 0.1, β = 0.95; the latent path is drawn from the prior and
  /// y from the likelihood, as in appendix G. `true_states()` keeps the drawn path.
  static Fhmm random(int64_t length, int64_t factors, Rng& rng);

  std::string name() const override { return "fhmm"; }
  int64_t num_sites() const override { return length() * factors(); }
  int64_t length() const { return observations_.size(0); }
  int64_t factors() const { return parameters_.weights.size(0); }
  const torch::Tensor& observations() const { return observations_; }
  /// The latent path y was drawn from, [1, D] (undefined unless made by `random`).
  const torch::Tensor& true_states() const { return true_states_; }
  /// Mean over time of (y_t − Wᵀx_t − b)², [chains].
  torch::Tensor reconstruction_error(const torch::Tensor& x) const;

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override;

 private:
  FhmmParameters parameters_;
  torch::Tensor observations_;  ///< y, [L]
  torch::Tensor true_states_;
};

/// Options of `fhmm`: a factorial-HMM posterior with data drawn from the model.
struct FhmmOptions {
  void validate() const {
    check_at_least(length(), 1, "fhmm", "length");
    check_at_least(factors(), 1, "fhmm", "factors");
  }
  void visit_fields(OptionVisitor& v) {
    v.field("length", length(), "time steps L");
    v.field("factors", factors(), "binary factors K per time step");
    v.field("seed", seed(), "seed of the model and of the data");
  }
  TORCH_ARG(int64_t, length) = 1000;
  TORCH_ARG(int64_t, factors) = 10;
  TORCH_ARG(int64_t, seed) = 0;
};

}  // namespace ebmc
