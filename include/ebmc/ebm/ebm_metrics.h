#pragma once
/// @file ebm_metrics.h
/// How well an EBM fits: grenioux-2023's metrics. In 2-d the learned density is normalized on a
/// fine grid, compared with the true log-density (Table 1's median squared error) and split into
/// the true modes' regions (mode weights, Table 3); in higher dimensions, the R-hat of the
/// negative chains (Table 2).

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/ebm/ebm_method.h"
#include "ebmc/ebm/energy_model.h"

namespace ebmc {

/// A 2-d log-density normalized on a `resolution`² grid of cell centres over [lo, hi]².
struct GridDensity {
  torch::Tensor axis_x, axis_y;  ///< [resolution] cell centres
  torch::Tensor log_density;     ///< [resolution, resolution] (row = x index), Σ exp · cell = 1
  double log_normalizer = 0;     ///< log Σ exp(−U) · cell: subtract from −U to normalize
  double cell = 0;               ///< area of a cell
  /// The points of the grid, [resolution², 2], in the order of `log_density.flatten()`.
  torch::Tensor points() const;
};

/// −U of `target` normalized on the grid (2-d targets only).
GridDensity grid_density(const Target& target, double lo_x, double hi_x, double lo_y, double hi_y,
                         int64_t resolution);

/// `grid_density` over the bounding box of 2-d `data` widened by 15% on each side: the grid of
/// every 2-d EBM metric (and of the mode weights logged during training).
GridDensity grid_over_data(const Target& target, const torch::Tensor& data, int64_t resolution);

/// The mass of `grid`'s density in each true mode's region of `truth`, [modes].
torch::Tensor mode_masses(const Target& truth, const GridDensity& grid);

/// The true mode each row of x [B, dim] belongs to (int64 [B]) for targets whose modes are known
/// (Gaussian mixtures: nearest mean; rings: nearest ring), in the order the target lists them;
/// undefined for other targets.
torch::Tensor mode_regions(const Target& truth, const torch::Tensor& x);
/// The true weights of those modes (mixture weights; rings: ¼ each); undefined if unknown.
torch::Tensor true_mode_weights(const Target& truth);

/// Mode weights of draws x: the fraction in each true region, [modes].
torch::Tensor region_histogram(const Target& truth, const torch::Tensor& x);

/// median over x ~ truth of (log p_θ(x) − log p*(x))², with log p_θ normalized by `grid` and
/// `truth` normalized itself (the built-in benchmarks are); `test_points` [B, 2].
double median_squared_log_density_error(const Target& model, const GridDensity& grid,
                                        const Target& truth, const torch::Tensor& test_points);

/// Max over coordinates of the rank-normalized split R-hat of `chains` [steps, chains, dim]
/// (the second half of each trajectory).
double max_rhat(const torch::Tensor& trajectory);

/// The metrics of `DIR/metrics.json` for a trained EBM. In 2-d: the grid (over the data's box
/// widened by 15%, `resolution`²), `median_sq_log_density_error` (at 10⁴ fresh draws of the truth),
/// `mode_weights` (learned mass per true mode) and `true_mode_weights`, `mode_weight_mse`
/// (Table 3's last column), and — from one evaluation pass of the method's negatives over all
/// persistent chains — `init_weight_mse` and `negatives_weight_mse` (the chains' starting
/// points and the negatives against the learned weights, Table 3's first two columns). In any
/// dimension: `negatives_max_rhat` over 128 chains (Table 2), from the second half of 128
/// recorded MCMC states per chain (every step of every method: as many evaluation passes as that
/// takes, `negatives_rhat_passes`). Metrics needing a truth are left
/// out when the data came from a file.
nlohmann::json ebm_metrics(const EbmTarget& model, EbmMethod& method, const torch::Tensor& chains,
                           const torch::Tensor& data, const Target* truth, int64_t resolution,
                           Rng& rng, GridDensity* grid_out = nullptr);

/// Adds to a trained model's `metrics` what says the result is not trustworthy, as `sample`'s run
/// warnings do: `warnings` (messages) when an R-hat (a metric named `…rhat`) is above 1.01 or the
/// learned mode weights are more than 0.1 from the true ones, and `nonfinite_metrics` (names)
/// for metrics that are NaN or infinite (training diverged: no value is reported for them).
/// Returns the warnings.
std::vector<std::string> add_training_warnings(nlohmann::json& metrics);

}  // namespace ebmc
