#pragma once
/// @file l2hmc_chain.h
/// L2HMC's transition for a block of chains in raw memory: the fused sampling path of `L2hmc`.

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

/// L2HMC's transition (see `L2hmc`) for a block of chains on a target with a fused path
/// (`Target::row_energy`), each chain: v, the direction (and the step size's jitter) from its
/// stream, M generalized leapfrog steps forward or their inverse, the Metropolis–Hastings step eq.
/// 8. The chains of a block move in lockstep (each its own direction, time and step size), so
/// each network layer is one pass over its weights for all of them. A chain draws from its stream
/// what its row of `L2hmc`'s tensor path draws, in the same order, agrees with that path to
/// rounding (exp and tanh from `exp_values` / `tanh_values`, four coordinates per instruction)
/// and gets the same bits in any block. With `hmc_steps` each chain then runs the plain HMC
/// transition as `leapfrog_row` does. One per thread; the weights must outlive it.
class L2hmcChain {
 public:
  /// A workspace for blocks of up to `block` chains.
  explicit L2hmcChain(const L2hmcWeights& weights, int64_t block = 1);
  /// One transition of each of the `count` ≤ block chains `rows` (overwritten when accepted),
  /// chain i drawing from `streams[i]`; decisions into `decisions[i]`.
  void step(const Target& target, int64_t count, const ChainRow* rows, ChainStream* streams,
            ChainDecision* decisions);

 private:
  /// Eq. 1/3 at step n (each chain's time, or its inverse, eqs. 9/12), with the log-determinant.
  void momentum();
  /// One half of eq. 2 at step n on the coordinates each chain's mask marks (its first half when
  /// `first`), or its inverse.
  void position(int64_t n, bool first);
  /// e^Q and e^{±scale·εS} (chain c's sign and step size) of the networks' output in `sqt_`,
  /// [count, 2·dim] in `exps_`, in one vector call.
  void exponentials(double scale);
  /// The plain HMC transition after the learned one, for chain c of the block.
  void hmc_transition(const Target& target, int64_t c, const ChainRow& row, ChainStream& stream);

  const L2hmcWeights& w_;
  int64_t block_ = 1, count_ = 0;
  /// Per chain ([block, dim] unless noted): x, v, ∇U, the networks' a-input (x or masked x), the
  /// networks' output S, Q, T [block, 3·dim], e^Q, e^{±εS} [block, 2·dim], the time encodings
  /// [block, 2].
  std::vector<double> x_, v_, grad_, input_, sqt_, exps_, tau_;
  /// Per chain: the mask (row of `masks` or `complement_`) of the coordinates being updated.
  std::vector<const double*> update_;
  /// Per chain: the direction (d = +1), this transition's step size, log-det, U(x), |v|² at the
  /// start.
  std::vector<char> forward_;
  std::vector<double> eps_, logdet_, energy_, kinetic_;
  std::vector<double> unit_, complement_, time_encodings_;  ///< [dim], [steps, dim], [steps, 2]
  PlainScratch scratch_;
};

}  // namespace ebmc
