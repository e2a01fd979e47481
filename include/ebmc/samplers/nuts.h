#pragma once
/// @file nuts.h
/// The No-U-Turn sampler as in Stan: multinomial sampling, generalized no-U-turn criterion with
/// the extra checks across merged subtrees, batched over chains.

#include <memory>
#include <vector>

#include "ebmc/adaptation/windowed_adaptation.h"
#include "ebmc/core/options.h"
#include "ebmc/samplers/leapfrog.h"
#include "ebmc/samplers/nuts_chain.h"
#include "ebmc/samplers/tunable_kernel.h"

namespace ebmc {

/// Options of NUTS.
struct NutsOptions {
  /// Throws InputError unless the options are usable.
  void validate() const;
  void visit_fields(OptionVisitor& v) {
    v.field("step_size", step_size(), "initial leapfrog step size (warmup tunes it per chain)");
    v.field("max_depth", max_depth(), "maximum tree depth");
    v.field("max_delta_h", max_delta_h(), "energy error above which a trajectory is divergent");
    adaptation().visit_fields(v);
    v.field("batch_trees", batch_trees(),
            "build all chains' trees in lockstep as tensor operations even where the target has a "
            "fused CPU path (default: each chain builds its own tree there)");
  }
  /// Initial leapfrog step size ε (adaptation may tune it per chain).
  TORCH_ARG(double, step_size) = 0.1;
  /// Maximum tree depth: at most 2^max_depth − 1 leapfrog steps per transition.
  TORCH_ARG(int64_t, max_depth) = 10;
  /// A leapfrog step whose Hamiltonian exceeds the initial one by more than this is divergent.
  TORCH_ARG(double, max_delta_h) = 1000.0;
  /// Build all chains' trees in lockstep as tensor operations even where each chain could build
  /// its own over the target's fused CPU path (the draws are the same; the lockstep trees are
  /// slower on a CPU).
  TORCH_ARG(bool, batch_trees) = false;
  /// Warmup adaptation.
  TORCH_ARG(AdaptationOptions, adaptation) = {};
};

/// NUTS (Hoffman & Gelman 2014; Betancourt 2017) following Stan's base_nuts: the trajectory
/// doubles in a random direction, each subtree is built recursively, states are drawn
/// multinomially (biased progressive sampling across subtrees, uniform within), and doubling
/// stops at a U-turn of the generalized criterion (checked across the whole trajectory and across
/// the seams between merged subtrees), at a divergence, or at the maximum depth.
///
/// Where the target has a fused CPU path (`Target::has_row_energy`, float64 CPU states, per-chain
/// random streams) each chain builds its own tree in raw memory (`NutsChainTree`), in parallel
/// over chains, and a chain that has stopped never waits for a deeper one. Otherwise chains
/// advance together as tensor operations: every chain still building takes the same number of
/// leapfrog steps per doubling; chains that have stopped are left out of the energy evaluations.
/// Both consume each chain's random stream in the same order, so for the same seed they give the
/// same draws (bit for bit where the target's batched path is its fused rows). Gradient
/// evaluations are counted for building chains only. The acceptance statistic (for adaptation)
/// is the mean Metropolis probability over the trajectory, as in Stan.
class Nuts : public TunableKernel {
 public:
  explicit Nuts(NutsOptions options = {});
  std::string name() const override { return "nuts"; }
  State init(const Target& target, const torch::Tensor& x0) override;
  Info step(State& state, Rng& rng) override;
  torch::Tensor probe_log_accept(const State& state, const torch::Tensor& step_size,
                                 Rng& rng) override;
  std::vector<std::string> stat_names() const override {
    return {"stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"};
  }
  std::map<std::string, double> stat_limits() const override {
    return {{"treedepth__", static_cast<double>(options_.max_depth())}};
  }
  /// Tree depth each chain reached in the last transition, [chains].
  /// (A view of the kernel's statistics: copy it to keep it past the next transition.)
  torch::Tensor last_tree_depth() const {
    return stats_.rows.empty() ? torch::Tensor() : stats_.rows[0].clone();
  }

 private:
  struct Trajectory;
  struct Subtree;
  bool takes_per_chain_trees(const State& state, const Rng& rng) const;
  Info step_per_chain(State& state, Rng& rng);
  Info step_batched(State& state, Rng& rng);
  /// The transition's Info from every chain's result.
  Info transition_info(const std::vector<NutsChainResult>& results);
  Subtree build_tree(int64_t depth, Trajectory& t, const std::vector<char>& active, Rng& rng);
  void leapfrog_active(Trajectory& t, const std::vector<char>& active);

  NutsOptions options_;
  /// Per-thread workspaces of the per-chain trees (indexed by ATen's thread number).
  std::vector<std::unique_ptr<NutsChainTree>> trees_;
  /// The statistics of the last transition, reused in place while unshared.
  struct StatBlocks {
    torch::Tensor counts, values, moved;
    std::vector<torch::Tensor> rows;  ///< depth, leapfrog, divergent, accept, energy views
    bool reusable(int64_t chains) const;
    void allocate(int64_t chains);
  };
  StatBlocks stats_;
};

}  // namespace ebmc
