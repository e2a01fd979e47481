#pragma once
/// @file dual_averaging.h
/// Nesterov dual averaging of log step size (Hoffman & Gelman 2014, §3.2), per chain.

#include <torch/torch.h>

namespace ebmc {

/// Options of dual averaging, with Stan's defaults.
struct DualAveragingOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  TORCH_ARG(double, target_accept) = 0.8;  ///< δ, the acceptance statistic to reach
  TORCH_ARG(double, gamma) = 0.05;         ///< γ, regularization scale
  TORCH_ARG(double, t0) = 10.0;            ///< t₀, early-iteration damping
  TORCH_ARG(double, kappa) = 0.75;         ///< κ, decay of the averaging weights
};

/// Dual averaging of log ε for every chain at once, as Stan's stepsize_adaptation.
///
///     ebmc::DualAveraging da(options);
///     da.restart(step);                  // μ = log(10 ε)
///     step = da.update(info.accept_prob);
///     step = da.final_step_size();       // exp(x̄) at the end of warmup
class DualAveraging {
 public:
  explicit DualAveraging(DualAveragingOptions options = {});
  /// Starts over around `step_size` [chains]: μ = log(10 ε), counters and averages reset.
  void restart(const torch::Tensor& step_size);
  /// Learns from one acceptance statistic per chain (values above 1 count as 1); returns the
  /// step size to use next.
  torch::Tensor update(const torch::Tensor& accept_stat);
  /// The averaged step size exp(x̄) to sample with after warmup.
  torch::Tensor final_step_size() const { return torch::exp(x_bar_); }

 private:
  DualAveragingOptions options_;
  double counter_ = 0;
  torch::Tensor mu_, s_bar_, x_bar_;
};

}  // namespace ebmc
