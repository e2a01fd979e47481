#pragma once
/// @file l2hmc_chain.h
/// One chain's L2HMC transition in raw memory: the fused sampling path of `L2hmc`.

#include <cstdint>
#include <vector>

#include "ebmc/core/per_chain.h"
#include "ebmc/core/rng.h"
#include "ebmc/core/target.h"
#include "ebmc/learned/networks.h"

namespace ebmc {

/// A trained L2HMC kernel's networks, masks and step size copied into raw memory.
struct L2hmcWeights {
  L2hmcNetworkImpl::Plain xnet, vnet;
  std::vector<double> masks;  ///< [steps, dim] row-major
  int64_t steps = 0, dim = 0;
  double log_step_size = 0;
  int64_t hmc_steps = 0;  ///< leapfrog steps of the plain HMC transition after the learned one
  double jitter = 0;  ///< step size ε·u, u uniform on (1 − jitter, 1 + jitter) per transition
};

/// L2HMC's transition (see `L2hmc`) for one chain on a target with a fused path
/// (`Target::row_energy`): v, the direction (and the step size's jitter) from the chain's stream, M
/// generalized leapfrog steps forward or their inverse, the Metropolis–Hastings step eq. 8. It
/// draws from the stream what that chain's row of `L2hmc`'s tensor path draws, in the same order,
/// and agrees with that path to rounding (exp and tanh from `exp_values` / `tanh_values`, four
/// coordinates per instruction). With `hmc_steps` it then runs the plain HMC transition as
/// `leapfrog_row` does. One per thread; the weights must outlive it.
class L2hmcChain {
 public:
  explicit L2hmcChain(const L2hmcWeights& weights);
  /// One transition of `row` (overwritten when accepted).
  ChainDecision step(const Target& target, const ChainRow& row, ChainStream& stream);

 private:
  /// Eq. 1/3 at time t (or its inverse, eqs. 9/12), with its log-determinant.
  void momentum(int64_t t, bool inverse);
  /// The plain HMC transition after the learned one.
  void hmc_transition(const Target& target, const ChainRow& row, ChainStream& stream);
  /// e^Q and e^{scale·S} of the network output in `sqt_`, [2·dim] in `exps_`, in one vector call.
  const double* exponentials(double scale);
  /// One half of eq. 2 at time t on the coordinates `update` marks (or its inverse).
  void position(int64_t t, const double* update, bool inverse);

  const L2hmcWeights& w_;
  std::vector<double> unit_, x_, v_, grad_, keep_, complement_, sqt_, masked_, tau_;
  std::vector<double> exps_;  ///< e^Q then e^{±εS} (or ±½εS) of the current update
  PlainScratch scratch_;
  double energy_ = 0, logdet_ = 0, eps_ = 0;  ///< eps_: this transition's step size
};

}  // namespace ebmc
