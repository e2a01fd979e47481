#include "ebmc/samplers/nuts_chain.h"

#include <algorithm>
#include <cmath>

#include "ebmc/samplers/leapfrog.h"
#include "ebmc/samplers/nuts_criteria.h"

namespace ebmc {

using nuts_criteria::log_add_exp;
using nuts_criteria::no_u_turn;
using nuts_criteria::no_u_turn_sum;

namespace {

/// Vectors of length dim a subtree holds: proposal x, p, grad; both ends' p and p♯; ρ.
constexpr int64_t kSubtreeVectors = 8;
/// Vectors of the transition's own bookkeeping: forward, backward and sample points (3 each),
/// p0, four end momenta, four end velocities, ρ and the two halves' ρ.
constexpr int64_t kTransitionVectors = 9 + 12;

}  // namespace

NutsChainTree::NutsChainTree(const Target& target, int64_t max_depth, double max_delta_h)
    : target_(target), dim_(target.dim()), max_depth_(max_depth), max_delta_h_(max_delta_h) {
  buffer_.assign(
      static_cast<size_t>(dim_ * (kSubtreeVectors * (max_depth + 1) + kTransitionVectors)), 0.0);
  for (int64_t k = 0; k < max_depth; ++k) scratch_.push_back(make_subtree());
  top_ = make_subtree();
  forward_ = make_point();
  backward_ = make_point();
  sample_ = make_point();
  p0_ = take(1);
  p_fwd_fwd_ = take(1);
  p_fwd_bck_ = take(1);
  p_bck_fwd_ = take(1);
  p_bck_bck_ = take(1);
  p_sharp_fwd_fwd_ = take(1);
  p_sharp_fwd_bck_ = take(1);
  p_sharp_bck_fwd_ = take(1);
  p_sharp_bck_bck_ = take(1);
  rho_ = take(1);
  rho_fwd_ = take(1);
  rho_bck_ = take(1);
}

double* NutsChainTree::take(int64_t vectors) {
  double* out = buffer_.data() + used_;
  used_ += static_cast<size_t>(vectors * dim_);
  return out;
}

NutsChainTree::Point NutsChainTree::make_point() {
  Point z;
  z.x = take(1);
  z.p = take(1);
  z.grad = take(1);
  return z;
}

NutsChainTree::Subtree NutsChainTree::make_subtree() {
  Subtree s;
  s.proposal = make_point();
  s.p_sharp_begin = take(1);
  s.p_sharp_end = take(1);
  s.p_begin = take(1);
  s.p_end = take(1);
  s.rho = take(1);
  return s;
}

void NutsChainTree::copy(const double* from, double* to) const { std::copy(from, from + dim_, to); }

void NutsChainTree::copy_point(const Point& from, Point& to) const {
  copy(from.x, to.x);
  copy(from.p, to.p);
  copy(from.grad, to.grad);
  to.energy = from.energy;
}

void NutsChainTree::build_tree(int64_t depth, Subtree& out) {
  if (depth == 0) {
    Point& z = *frontier_;
    z.energy = leapfrog_row(target_, inverse_metric_, step_, dim_, z.x, z.p, z.grad);
    copy_point(z, out.proposal);
    copy(z.p, out.p_begin);
    copy(z.p, out.p_end);
    copy(z.p, out.rho);
    const double h = hamiltonian_row(z.energy, z.p, inverse_metric_, dim_, out.p_sharp_begin);
    copy(out.p_sharp_begin, out.p_sharp_end);
    const double log_weight = h0_ - h;
    const bool divergent = h - h0_ > max_delta_h_;
    divergent_ = divergent_ || divergent;
    n_leapfrog_ += 1;
    sum_metro_prob_ += std::exp(std::min(log_weight, 0.0));
    out.log_sum_weight = log_weight;
    out.valid = !divergent;
    return;
  }
  // The first half is built into `out`, which then becomes the merged subtree: its begin is the
  // first half's, its end the second half's.
  build_tree(depth - 1, out);
  if (!out.valid) return;
  Subtree& final = scratch_[static_cast<size_t>(depth - 1)];
  build_tree(depth - 1, final);
  const double u = stream_->uniform();
  out.log_sum_weight = log_add_exp(out.log_sum_weight, final.log_sum_weight);
  // Uniform sampling within the subtree: take the second half with its share of the weight.
  if (u < std::exp(final.log_sum_weight - out.log_sum_weight)) {
    copy_point(final.proposal, out.proposal);
  }
  // Seam checks (Stan): each half extended by the neighbouring end of the other half.
  bool persist =
      no_u_turn_sum(out.p_sharp_begin, final.p_sharp_begin, out.rho, final.p_begin, dim_) &&
      no_u_turn_sum(out.p_sharp_end, final.p_sharp_end, final.rho, out.p_end, dim_);
  for (int64_t i = 0; i < dim_; ++i) out.rho[i] += final.rho[i];
  persist = persist && no_u_turn(out.p_sharp_begin, final.p_sharp_end, out.rho, dim_);
  out.valid = final.valid && persist;
  copy(final.p_sharp_end, out.p_sharp_end);
  copy(final.p_end, out.p_end);
}

NutsChainResult NutsChainTree::transition(double* x, double* energy, double* grad,
                                          const double* inverse_metric, double step_size,
                                          ChainStream& stream) {
  stream_ = &stream;
  inverse_metric_ = inverse_metric;
  n_leapfrog_ = 0;
  sum_metro_prob_ = 0.0;
  divergent_ = false;

  // Momentum p ~ N(0, M): standard normals times 1/√(M⁻¹), as `DiagonalMetric::sample_momentum`.
  stream.fill(p0_, dim_, true);
  for (int64_t i = 0; i < dim_; ++i) p0_[i] = p0_[i] * (1.0 / std::sqrt(inverse_metric[i]));
  h0_ = hamiltonian_row(*energy, p0_, inverse_metric, dim_, p_sharp_fwd_fwd_);
  Point start{x, p0_, grad, *energy};
  copy_point(start, forward_);
  copy_point(start, backward_);
  copy_point(start, sample_);
  for (double* p : {p_fwd_fwd_, p_fwd_bck_, p_bck_fwd_, p_bck_bck_, rho_}) copy(p0_, p);
  for (double* p : {p_sharp_fwd_bck_, p_sharp_bck_fwd_, p_sharp_bck_bck_}) {
    copy(p_sharp_fwd_fwd_, p);
  }
  double log_sum_weight = 0.0;
  int64_t depth = 0;

  for (int64_t d = 0; d < max_depth_; ++d) {
    const bool forward = stream.uniform() > 0.5;
    step_ = forward ? step_size : -step_size;
    frontier_ = forward ? &forward_ : &backward_;
    // The old trajectory becomes the half that is not extended: extending forward, it is the
    // backward half and its forward end is the old forward end.
    copy(rho_, forward ? rho_bck_ : rho_fwd_);
    if (forward) {
      copy(p_fwd_fwd_, p_bck_fwd_);
      copy(p_sharp_fwd_fwd_, p_sharp_bck_fwd_);
    } else {
      copy(p_bck_bck_, p_fwd_bck_);
      copy(p_sharp_bck_bck_, p_sharp_fwd_bck_);
    }

    build_tree(d, top_);
    const double take_draw = stream.uniform();
    if (!top_.valid) break;
    if (forward) {
      copy(top_.p_sharp_begin, p_sharp_fwd_bck_);
      copy(top_.p_sharp_end, p_sharp_fwd_fwd_);
      copy(top_.rho, rho_fwd_);
      copy(top_.p_begin, p_fwd_bck_);
      copy(top_.p_end, p_fwd_fwd_);
    } else {
      copy(top_.p_sharp_begin, p_sharp_bck_fwd_);
      copy(top_.p_sharp_end, p_sharp_bck_bck_);
      copy(top_.rho, rho_bck_);
      copy(top_.p_begin, p_bck_fwd_);
      copy(top_.p_end, p_bck_bck_);
    }
    depth += 1;
    // Biased progressive sampling: prefer the new subtree by its weight relative to the old.
    if (take_draw < std::exp(top_.log_sum_weight - log_sum_weight)) {
      copy_point(top_.proposal, sample_);
    }
    log_sum_weight = log_add_exp(log_sum_weight, top_.log_sum_weight);
    for (int64_t i = 0; i < dim_; ++i) rho_[i] = rho_bck_[i] + rho_fwd_[i];
    const bool keep_going =
        no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_fwd_, rho_, dim_) &&
        no_u_turn_sum(p_sharp_bck_bck_, p_sharp_fwd_bck_, rho_bck_, p_fwd_bck_, dim_) &&
        no_u_turn_sum(p_sharp_bck_fwd_, p_sharp_fwd_fwd_, rho_fwd_, p_bck_fwd_, dim_);
    if (!keep_going) break;
  }

  NutsChainResult result;
  result.depth = depth;
  result.n_leapfrog = n_leapfrog_;
  result.accept_prob = sum_metro_prob_ / static_cast<double>(std::max<int64_t>(n_leapfrog_, 1));
  result.divergent = divergent_;
  result.hamiltonian = hamiltonian_row(sample_.energy, sample_.p, inverse_metric, dim_, nullptr);
  result.moved = !std::equal(x, x + dim_, sample_.x);
  copy(sample_.x, x);
  copy(sample_.grad, grad);
  *energy = sample_.energy;
  return result;
}

}  // namespace ebmc
