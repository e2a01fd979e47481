#pragma once
/// @file nuts_chain.h
/// One chain's NUTS transition in raw memory over a target's fused path: the chain builds its
/// tree on its own, so a chain that has stopped never waits for a deeper one.

#include <cstdint>
#include <vector>

#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"

namespace ebmc {

/// What one chain's transition reports.
struct NutsChainResult {
  int64_t depth = 0;         ///< tree depth reached
  int64_t n_leapfrog = 0;    ///< leapfrog steps (gradient evaluations)
  double accept_prob = 0.0;  ///< mean Metropolis probability over the trajectory (Stan)
  bool divergent = false;    ///< an energy error above max_delta_h was met
  double hamiltonian = 0.0;  ///< H of the draw with the momentum it was drawn with (energy__)
  bool moved = false;        ///< the draw differs from the starting point
};

/// Stan's multinomial NUTS for one chain, tree and bookkeeping in preallocated raw buffers, the
/// target evaluated through `Target::row_energy`. It consumes the chain's random stream in the
/// same order as the batched `Nuts` tree and does the same arithmetic, so for a target whose
/// batched path is its fused rows both give the same draws bit for bit (tested). One object per
/// thread; `transition` allocates nothing.
class NutsChainTree {
 public:
  NutsChainTree(const Target& target, int64_t max_depth, double max_delta_h);

  /// One transition from (`x`, `energy`, `grad`) [dim], replaced by the draw, with diagonal
  /// inverse metric `inverse_metric` [dim] and step size `step_size`, drawing from `stream`.
  NutsChainResult transition(double* x, double* energy, double* grad, const double* inverse_metric,
                             double step_size, ChainStream& stream);

 private:
  /// A point of phase space: views into the buffer.
  struct Point {
    double *x = nullptr, *p = nullptr, *grad = nullptr;
    double energy = 0.0;
  };
  /// A subtree's summary, as Stan's build_tree returns it through its arguments.
  struct Subtree {
    Point proposal;
    double *p_sharp_begin = nullptr, *p_sharp_end = nullptr, *p_begin = nullptr, *p_end = nullptr,
           *rho = nullptr;
    double log_sum_weight = 0.0;
    bool valid = true;
  };

  double* take(int64_t vectors);
  Point make_point();
  Subtree make_subtree();
  void copy(const double* from, double* to) const;
  void copy_point(const Point& from, Point& to) const;
  /// Builds a subtree of 2^depth leapfrog steps from `frontier_` into `out`.
  void build_tree(int64_t depth, Subtree& out);

  const Target& target_;
  const int64_t dim_, max_depth_;
  const double max_delta_h_;
  std::vector<double> buffer_;
  size_t used_ = 0;
  std::vector<Subtree> scratch_;  ///< level k holds the second half built by build_tree(k)

  // The transition in progress.
  Point* frontier_ = nullptr;  ///< the end being integrated: forward_ or backward_
  Point forward_, backward_, sample_;
  Subtree top_;
  double *p0_, *p_fwd_fwd_, *p_fwd_bck_, *p_bck_fwd_, *p_bck_bck_, *p_sharp_fwd_fwd_,
      *p_sharp_fwd_bck_, *p_sharp_bck_fwd_, *p_sharp_bck_bck_, *rho_, *rho_fwd_, *rho_bck_;
  const double* inverse_metric_ = nullptr;
  double step_ = 0.0, h0_ = 0.0, sum_metro_prob_ = 0.0;
  int64_t n_leapfrog_ = 0;
  bool divergent_ = false;
  ChainStream* stream_ = nullptr;
};

}  // namespace ebmc
