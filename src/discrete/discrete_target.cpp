#include "ebmc/discrete/discrete_target.h"

#include <sstream>
#include <stdexcept>

#include "ebmc/core/autograd.h"
#include "ebmc/core/errors.h"
#include "ebmc/discrete/moves.h"

namespace ebmc {

namespace {

std::string shape_string(torch::IntArrayRef sizes) {
  std::ostringstream out;
  out << sizes;
  return out.str();
}

}  // namespace

std::vector<int64_t> DiscreteTarget::state_shape(int64_t chains) const {
  if (categorical()) return {chains, num_sites(), num_values()};
  return {chains, num_sites()};
}

void DiscreteTarget::check_shape(const torch::Tensor& x) const {
  if (!x.defined()) throw InputError("undefined state tensor", name());
  const std::vector<int64_t> expected = state_shape(x.dim() > 0 ? x.size(0) : 0);
  if (x.dim() != static_cast<int64_t>(expected.size()) || !x.sizes().equals(expected)) {
    const std::string wanted = categorical() ? "[chains, " + std::to_string(num_sites()) + ", " +
                                                   std::to_string(num_values()) + "] (one-hot)"
                                             : "[chains, " + std::to_string(num_sites()) + "]";
    throw InputError("state must have shape " + wanted + ", got " + shape_string(x.sizes()),
                     name());
  }
  if (!x.is_floating_point()) throw InputError("state must be a floating-point tensor", name());
}

void DiscreteTarget::check_states(const torch::Tensor& x) const {
  check_shape(x);
  if (!((x == 0) | (x == 1)).all().item<bool>()) {
    throw InputError("discrete states must have values in {0, 1}", name());
  }
  if (categorical() && !(x.sum(-1) == 1).all().item<bool>()) {
    throw InputError("categorical states must be one-hot: exactly one 1 per site", name());
  }
}

void DiscreteTarget::check_log_prob(const torch::Tensor& f, int64_t chains) const {
  if (!f.defined() || f.dim() != 1 || f.size(0) != chains) {
    throw std::logic_error("target '" + name() + "' returned a log-probability of shape " +
                           (f.defined() ? shape_string(f.sizes()) : std::string("<undefined>")) +
                           ", expected [" + std::to_string(chains) + "]");
  }
}

torch::Tensor DiscreteTarget::random_states(int64_t chains, Rng& rng) const {
  const torch::Tensor values =
      (rng.uniform({chains, num_sites()}) * static_cast<double>(num_values())).to(torch::kInt64);
  return states_from_values(*this, values.clamp_max(num_values() - 1));
}

torch::Tensor DiscreteTarget::log_prob(const torch::Tensor& x) const {
  check_shape(x);
  torch::Tensor f = compute_log_prob(x);
  check_log_prob(f, x.size(0));
  return f;
}

LogProbAndGrad DiscreteTarget::log_prob_and_grad(const torch::Tensor& x) const {
  check_shape(x);
  LogProbAndGrad result = compute_log_prob_and_grad(x);
  check_log_prob(result.log_prob, x.size(0));
  if (!result.grad.defined() || !result.grad.sizes().equals(x.sizes())) {
    throw std::logic_error("target '" + name() + "' returned a gradient of the wrong shape");
  }
  return result;
}

torch::Tensor DiscreteTarget::local_differences(const torch::Tensor& x) const {
  check_shape(x);
  torch::Tensor d = compute_local_differences(x);
  if (!d.defined() || !d.sizes().equals({x.size(0), num_moves()})) {
    throw std::logic_error("target '" + name() + "' returned local differences of wrong shape");
  }
  return d;
}

torch::Tensor DiscreteTarget::site_differences(const torch::Tensor& x,
                                               const torch::Tensor& sites) const {
  check_shape(x);
  if (sites.dim() != 1 || sites.size(0) != x.size(0)) {
    throw std::logic_error("site_differences needs one site per chain");
  }
  torch::Tensor d = compute_site_differences(x, sites);
  const int64_t width = categorical() ? num_values() : 1;
  if (!d.defined() || !d.sizes().equals({x.size(0), width})) {
    throw std::logic_error("target '" + name() + "' returned site differences of wrong shape");
  }
  return d;
}

LogProbAndGrad DiscreteTarget::compute_log_prob_and_grad(const torch::Tensor& x) const {
  ValueAndGrad vg =
      batched_value_and_grad([this](const torch::Tensor& leaf) { return compute_log_prob(leaf); },
                             x, [&](const torch::Tensor& f) { check_log_prob(f, x.size(0)); });
  return {vg.value, vg.grad};
}

torch::Tensor DiscreteTarget::compute_local_differences(const torch::Tensor& x) const {
  const int64_t chains = x.size(0), moves = num_moves();
  const torch::Tensor neighbours = apply_moves(
      *this, x.repeat_interleave(moves, 0), torch::arange(moves, torch::kInt64).repeat({chains}));
  return compute_log_prob(neighbours).reshape({chains, moves}) - compute_log_prob(x).unsqueeze(1);
}

torch::Tensor DiscreteTarget::compute_site_differences(const torch::Tensor& x,
                                                       const torch::Tensor& sites) const {
  const int64_t chains = x.size(0);
  if (!categorical()) {
    return (compute_log_prob(apply_moves(*this, x, sites)) - compute_log_prob(x)).unsqueeze(1);
  }
  const int64_t k = num_values();
  const torch::Tensor moves =
      (sites.unsqueeze(1) * k + torch::arange(k, torch::kInt64)).reshape({-1});
  const torch::Tensor neighbours = apply_moves(*this, x.repeat_interleave(k, 0), moves);
  return compute_log_prob(neighbours).reshape({chains, k}) - compute_log_prob(x).unsqueeze(1);
}

}  // namespace ebmc
