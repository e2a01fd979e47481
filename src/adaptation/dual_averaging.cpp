#include "ebmc/adaptation/dual_averaging.h"

#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

void DualAveragingOptions::validate() const {
  if (!(target_accept() > 0 && target_accept() < 1)) {
    throw InputError("target_accept must be in (0, 1)", "adapt:target_accept");
  }
  if (!(gamma() > 0)) throw InputError("gamma must be > 0", "adapt:gamma");
  if (!(t0() >= 0)) throw InputError("t0 must be >= 0", "adapt:t0");
  if (!(kappa() > 0 && kappa() <= 1)) throw InputError("kappa must be in (0, 1]", "adapt:kappa");
}

DualAveraging::DualAveraging(DualAveragingOptions options) : options_(options) {
  options_.validate();
}

void DualAveraging::restart(const torch::Tensor& step_size) {
  counter_ = 0;
  mu_ = torch::log(10.0 * step_size);
  s_bar_ = torch::zeros_like(step_size);
  x_bar_ = torch::zeros_like(step_size);
}

torch::Tensor DualAveraging::update(const torch::Tensor& accept_stat) {
  counter_ += 1;
  const torch::Tensor stat = torch::nan_to_num(accept_stat, 0.0).clamp_max(1.0);
  const double eta = 1.0 / (counter_ + options_.t0());
  s_bar_ = (1.0 - eta) * s_bar_ + eta * (options_.target_accept() - stat);
  const torch::Tensor x = mu_ - s_bar_ * std::sqrt(counter_) / options_.gamma();
  const double x_eta = std::pow(counter_, -options_.kappa());
  x_bar_ = (1.0 - x_eta) * x_bar_ + x_eta * x;
  return torch::exp(x);
}

}  // namespace ebmc
