#pragma once
/// @file fssd.h
/// The finite-set Stein discrepancy test (Jitkrittum et al. 2017): linear time, with J test
/// locations and the RBF bandwidth chosen on a training split to maximize test power.

#include <torch/torch.h>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/stein/stein_kernel.h"

namespace ebmc {

/// Options of the FSSD test.
struct FssdOptions {
  int64_t locations = 5;         ///< J test locations
  double train_fraction = 0.2;   ///< share of the rows that tunes locations and bandwidth
  int64_t optimize_steps = 200;  ///< Adam steps on the power criterion (0 = no tuning)
  double learning_rate = 0.05;   ///< Adam's, on locations and log-bandwidth
  int64_t null_draws = 3000;     ///< draws of the asymptotic null distribution
  double bandwidth = 0;          ///< starting (or fixed) h; 0 = the median heuristic
};

/// The FSSD features τ(x) [n, dim·J]: vec of ξ(x, v_j) = (s(x) k(x, v_j) + ∇ₓk(x, v_j))/√(dim·J)
/// for the locations `v` [J, dim] and bandwidth `h` (a scalar tensor, differentiable).
torch::Tensor fssd_features(const torch::Tensor& x, const torch::Tensor& score,
                            const torch::Tensor& v, const torch::Tensor& h);

/// Unbiased FSSD² of the features: (‖Σᵢ τᵢ‖² − Σᵢ‖τᵢ‖²)/(n(n−1)).
torch::Tensor fssd_statistic(const torch::Tensor& features);

/// The test: locations drawn from a Gaussian fitted to the training split, locations and h
/// tuned there by Adam on FSSD²/σ_H₁ (σ²_H₁ = 4μᵀΣμ, Jitkrittum et al. eq. 4), then on the
/// remaining rows n·FSSD² is compared with draws of Σᵢ (Zᵢ² − 1)ωᵢ, ω the eigenvalues of the
/// features' covariance: p = (1 + #{draw ≥ n·FSSD²}) / (1 + draws).
SteinTestResult fssd_test(const Target& model, const torch::Tensor& x, const FssdOptions& options,
                          Rng& rng);

}  // namespace ebmc
