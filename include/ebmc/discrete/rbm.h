#pragma once
/// @file rbm.h
/// Binary restricted Boltzmann machine, with the hidden units summed out.

#include <string>

#include "ebmc/core/options.h"
#include "ebmc/core/rng.h"
#include "ebmc/discrete/discrete_target.h"

namespace ebmc {

/// f(x) = Σ_j softplus((Wx + c)_j) + bᵀx: the marginal of p(x, h) ∝ exp(hᵀWx + bᵀx + cᵀh)
/// over binary hidden units h (Gibbs-With-Gradients eq. 9/29, with the usual naming: b the
/// visible bias, c the hidden bias). The gradient is analytic: ∇f = Wᵀσ(Wx + c) + b.
///
///     ebmc::Rng rng(0);
///     ebmc::Rbm rbm = ebmc::Rbm::random(100, 25, rng);
///     torch::Tensor h = rbm.sample_hidden(x, rng);
class Rbm : public DiscreteTarget {
 public:
  /// `weights` [H, D], `visible_bias` [D], `hidden_bias` [H].
  Rbm(torch::Tensor weights, torch::Tensor visible_bias, torch::Tensor hidden_bias);
  /// Random parameters as in the paper's appendix C.2 (after Han et al. 2020):
  /// W ~ N(0, 0.05²), b, c ~ N(0, 1).
  static Rbm random(int64_t visible, int64_t hidden, Rng& rng);
  /// Reads `{"W": [[…] × H], "b": […D], "c": […H]}` from a JSON file; throws InputError naming
  /// the file for malformed content or inconsistent shapes.
  static Rbm load(const std::string& path);
  /// Writes the parameters in the format `load` reads (atomically).
  void save(const std::string& path) const;

  std::string name() const override { return "rbm"; }
  int64_t num_sites() const override { return weights_.size(1); }
  int64_t num_hidden() const { return weights_.size(0); }
  const torch::Tensor& weights() const { return weights_; }
  const torch::Tensor& visible_bias() const { return visible_bias_; }
  const torch::Tensor& hidden_bias() const { return hidden_bias_; }

  /// p(h = 1 | x) = σ(Wx + c), [chains, H].
  torch::Tensor hidden_probabilities(const torch::Tensor& x) const;
  /// p(x = 1 | h) = σ(Wᵀh + b), [chains, D].
  torch::Tensor visible_probabilities(const torch::Tensor& h) const;

 protected:
  torch::Tensor compute_log_prob(const torch::Tensor& x) const override;
  LogProbAndGrad compute_log_prob_and_grad(const torch::Tensor& x) const override;

 private:
  torch::Tensor weights_, visible_bias_, hidden_bias_;
};

/// Options of `rbm`: random parameters (appendix C.2) or a JSON file.
struct RbmOptions {
  void validate() const {
    check_at_least(visible(), 1, "rbm", "visible");
    check_at_least(hidden(), 1, "rbm", "hidden");
  }
  void visit_fields(OptionVisitor& v) {
    v.field("visible", visible(), "visible units");
    v.field("hidden", hidden(), "hidden units (summed out)");
    v.field("seed", seed(), "seed of W ~ N(0, 0.05^2), b, c ~ N(0, 1)");
    v.field("file", file(), "JSON {W, b, c} instead of random parameters");
  }
  TORCH_ARG(int64_t, visible) = 100;
  TORCH_ARG(int64_t, hidden) = 25;
  TORCH_ARG(int64_t, seed) = 0;
  TORCH_ARG(std::string, file) = "";
};

}  // namespace ebmc
