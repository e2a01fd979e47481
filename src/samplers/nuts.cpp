#include "ebmc/samplers/nuts.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/tensor_values.h"
#include "ebmc/samplers/nuts_chain.h"
#include "ebmc/samplers/nuts_criteria.h"
#include "ebmc/samplers/registry.h"

namespace ebmc {

void NutsOptions::validate() const {
  check_step_size(step_size(), "nuts:step_size");
  if (max_depth() < 1 || max_depth() > 30) {
    throw InputError("max_depth must be in [1, 30]", "nuts:max_depth");
  }
  adaptation().validate();
  if (!(max_delta_h() > 0)) throw InputError("max_delta_h must be > 0", "nuts:max_delta_h");
}

/// Row buffers of the tree bookkeeping (a named namespace: Nuts::Subtree holds them).
namespace nuts_internal {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A [rows, cols] matrix of doubles in plain memory: the tree's bookkeeping runs as loops over
/// these, so that a leaf costs one batched leapfrog plus O(chains × dim) arithmetic instead of
/// dozens of small tensor operations.
class RowMatrix {
 public:
  RowMatrix() = default;
  RowMatrix(int64_t rows, int64_t cols) : cols_(cols), data_(rows * cols, 0.0) {}
  /// A copy of a contiguous float64 [rows, cols] tensor.
  explicit RowMatrix(const torch::Tensor& t) : cols_(t.size(1)) {
    const torch::Tensor c = t.contiguous();
    data_.assign(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
  }
  double* row(int64_t r) { return data_.data() + r * cols_; }
  const double* row(int64_t r) const { return data_.data() + r * cols_; }
  void set_row(int64_t r, const double* source) { std::copy(source, source + cols_, row(r)); }
  /// The matrix as a new float64 tensor.
  torch::Tensor to_tensor() const {
    const int64_t rows = cols_ == 0 ? 0 : static_cast<int64_t>(data_.size()) / cols_;
    torch::Tensor t = torch::empty({rows, cols_}, torch::kFloat64);
    std::copy(data_.begin(), data_.end(), t.data_ptr<double>());
    return t;
  }

 private:
  int64_t cols_ = 0;
  std::vector<double> data_;
};

torch::Tensor to_tensor(const std::vector<double>& v) {
  torch::Tensor t = torch::empty({static_cast<int64_t>(v.size())}, torch::kFloat64);
  std::copy(v.begin(), v.end(), t.data_ptr<double>());
  return t;
}

/// Phase points of every chain in plain memory.
struct PointRows {
  RowMatrix x, p, grad;
  std::vector<double> energy;

  PointRows() = default;
  explicit PointRows(const PhasePoint& z)
      : x(z.x), p(z.p), grad(z.grad), energy(to_vector(z.energy)) {}
  void set_row(int64_t c, const PointRows& source) {
    x.set_row(c, source.x.row(c));
    p.set_row(c, source.p.row(c));
    grad.set_row(c, source.grad.row(c));
    energy[c] = source.energy[c];
  }
  PhasePoint to_phase_point() const {
    return {x.to_tensor(), p.to_tensor(), to_tensor(energy), grad.to_tensor()};
  }
};

}  // namespace nuts_internal

using namespace nuts_internal;
using nuts_criteria::log_add_exp;
using nuts_criteria::no_u_turn;
using nuts_criteria::no_u_turn_sum;

/// What one transition carries while it builds its trajectory.
struct Nuts::Trajectory {
  int64_t chains = 0, dim = 0;
  PhasePoint z;                            ///< the frontier being integrated (tensors, every chain)
  torch::Tensor step;                      ///< signed step size per chain (direction × ε)
  const double* inverse_metric = nullptr;  ///< M⁻¹ rows; row stride 0 when shared by all chains
  int64_t metric_stride = 0;
  std::vector<double> h0;              ///< initial Hamiltonian
  std::vector<int64_t> n_leapfrog;     ///< leapfrog steps taken by building chains
  std::vector<double> sum_metro_prob;  ///< Σ min(1, exp(H0 − H)) over those steps
  std::vector<char> divergent;

  const double* metric_row(int64_t c) const { return inverse_metric + c * metric_stride; }
};

/// A subtree's summary, as Stan's build_tree returns it through its arguments. Rows of chains
/// that were not building are left unspecified.
struct Nuts::Subtree {
  PointRows proposal;
  RowMatrix p_sharp_begin, p_sharp_end, p_begin, p_end, rho;
  std::vector<double> log_sum_weight;
  std::vector<char> valid;
};

Nuts::Nuts(NutsOptions options) : options_(options) { options_.validate(); }

State Nuts::init(const Target& target, const torch::Tensor& x0) {
  trees_.clear();  // workspaces are sized for the bound target
  return init_with_gradient(target, x0, options_.step_size());
}

torch::Tensor Nuts::probe_log_accept(const State& state, const torch::Tensor& step_size, Rng& rng) {
  return leapfrog_probe_log_accept(target(), metric(), state, step_size, rng);
}

void Nuts::leapfrog_active(Trajectory& t, const std::vector<char>& active) {
  std::vector<int64_t> building;
  for (int64_t c = 0; c < t.chains; ++c) {
    if (active[c]) building.push_back(c);
  }
  if (static_cast<int64_t>(building.size()) == t.chains) {
    t.z = leapfrog(target(), metric(), t.z, t.step);
  } else if (!building.empty()) {
    // Only chains still building are integrated; the others keep their frontier.
    const torch::Tensor index = torch::tensor(building, torch::kInt64);
    PhasePoint sub{t.z.x.index_select(0, index), t.z.p.index_select(0, index),
                   t.z.energy.index_select(0, index), t.z.grad.index_select(0, index)};
    DiagonalMetric metric{tuning_.inverse_metric.size(0) == 1
                              ? tuning_.inverse_metric
                              : tuning_.inverse_metric.index_select(0, index)};
    PhasePoint moved = leapfrog(target(), metric, sub, t.step.index_select(0, index));
    t.z.x = t.z.x.index_copy(0, index, moved.x);
    t.z.p = t.z.p.index_copy(0, index, moved.p);
    t.z.energy = t.z.energy.index_copy(0, index, moved.energy);
    t.z.grad = t.z.grad.index_copy(0, index, moved.grad);
  }
  t.z.x = t.z.x.contiguous();
  t.z.p = t.z.p.contiguous();
  t.z.energy = t.z.energy.contiguous();
  t.z.grad = t.z.grad.contiguous();
}

Nuts::Subtree Nuts::build_tree(int64_t depth, Trajectory& t, const std::vector<char>& active,
                               Rng& rng) {
  const int64_t chains = t.chains, dim = t.dim;
  if (depth == 0) {
    leapfrog_active(t, active);
    Subtree leaf;
    leaf.proposal = PointRows(t.z);
    leaf.p_begin = leaf.proposal.p;
    leaf.p_end = leaf.proposal.p;
    leaf.rho = leaf.proposal.p;
    leaf.p_sharp_begin = RowMatrix(chains, dim);
    leaf.log_sum_weight.assign(chains, -kInf);
    leaf.valid.assign(chains, 0);
    for (int64_t c = 0; c < chains; ++c) {
      if (!active[c]) continue;
      // NaN energies map to H = +∞ and compare as divergent.
      const double h = hamiltonian_row(leaf.proposal.energy[c], leaf.proposal.p.row(c),
                                       t.metric_row(c), dim, leaf.p_sharp_begin.row(c));
      const double log_weight = t.h0[c] - h;
      const bool divergent = h - t.h0[c] > options_.max_delta_h();
      t.divergent[c] |= divergent;
      t.n_leapfrog[c] += 1;
      t.sum_metro_prob[c] += std::exp(std::min(log_weight, 0.0));
      leaf.log_sum_weight[c] = log_weight;
      leaf.valid[c] = !divergent;
    }
    leaf.p_sharp_end = leaf.p_sharp_begin;
    return leaf;
  }
  Subtree init = build_tree(depth - 1, t, active, rng);
  std::vector<char> still_active(chains);
  for (int64_t c = 0; c < chains; ++c) still_active[c] = active[c] && init.valid[c];
  Subtree final = build_tree(depth - 1, t, still_active, rng);

  // The merged subtree reuses init's buffers: its begin is init's, its end is final's.
  Subtree merged = std::move(init);
  const std::vector<double> u = to_vector(rng.uniform({chains}));
  for (int64_t c = 0; c < chains; ++c) {
    if (!still_active[c]) {
      merged.valid[c] = 0;
      continue;
    }
    const double init_weight = merged.log_sum_weight[c];
    merged.log_sum_weight[c] = log_add_exp(init_weight, final.log_sum_weight[c]);
    // Uniform sampling within the subtree: take the final half with its share of the weight.
    if (u[c] < std::exp(final.log_sum_weight[c] - merged.log_sum_weight[c])) {
      merged.proposal.set_row(c, final.proposal);
    }
    double* rho = merged.rho.row(c);
    const double* init_p_sharp_end = merged.p_sharp_end.row(c);
    const double* init_p_end = merged.p_end.row(c);
    // Seam checks (Stan): each half extended by the neighbouring end of the other half.
    bool persist = no_u_turn_sum(merged.p_sharp_begin.row(c), final.p_sharp_begin.row(c), rho,
                                 final.p_begin.row(c), dim) &&
                   no_u_turn_sum(init_p_sharp_end, final.p_sharp_end.row(c), final.rho.row(c),
                                 init_p_end, dim);
    const double* final_rho = final.rho.row(c);
    for (int64_t i = 0; i < dim; ++i) rho[i] += final_rho[i];
    persist = persist && no_u_turn(merged.p_sharp_begin.row(c), final.p_sharp_end.row(c), rho, dim);
    merged.valid[c] = final.valid[c] && persist;
  }
  merged.p_sharp_end = std::move(final.p_sharp_end);
  merged.p_end = std::move(final.p_end);
  return merged;
}

bool Nuts::takes_per_chain_trees(const State& state, const Rng& rng) const {
  return !options_.batch_trees() && rng.per_chain() && target().has_row_energy() &&
         takes_fused_path(state.x) && is_cpu_float64(state.energy) && is_cpu_float64(state.grad) &&
         is_cpu_float64(tuning_.inverse_metric, true) && is_cpu_float64(tuning_.step_size, true);
}

Info Nuts::step(State& state, Rng& rng) {
  return takes_per_chain_trees(state, rng) ? step_per_chain(state, rng) : step_batched(state, rng);
}

Info Nuts::step_per_chain(State& state, Rng& rng) {
  const int64_t chains = state.chains(), dim = state.x.size(1);
  const torch::Tensor inverse_metric = tuning_.inverse_metric.contiguous();
  const torch::Tensor step_size = tuning_.step_size.expand({chains}).contiguous();
  const int64_t metric_stride = inverse_metric.size(0) == 1 ? 0 : dim;
  torch::Tensor x = state.x.clone(), energy = state.energy.clone(), grad = state.grad.clone();
  std::vector<NutsChainResult> results(static_cast<size_t>(chains));
  const double* inverse = inverse_metric.data_ptr<double>();
  const double* eps = step_size.data_ptr<double>();
  double *xs = x.data_ptr<double>(), *es = energy.data_ptr<double>(), *gs = grad.data_ptr<double>();
  // One tree workspace per thread, kept between transitions (it holds no state of its own; `init`
  // drops them when the kernel is bound to a target).
  const size_t threads = static_cast<size_t>(at::get_num_threads());
  if (trees_.size() != threads) {
    trees_.clear();
    trees_.resize(threads);
  }
  // Each chain builds its own tree from its own stream: the draws depend on neither the other
  // chains nor the number of threads.
  at::parallel_for(0, chains, 1, [&](int64_t begin, int64_t end) {
    std::unique_ptr<NutsChainTree>& tree = trees_[static_cast<size_t>(at::get_thread_num())];
    if (!tree) {
      tree =
          std::make_unique<NutsChainTree>(target(), options_.max_depth(), options_.max_delta_h());
    }
    for (int64_t c = begin; c < end; ++c) {
      ChainStream stream = rng.chain_stream(c);
      results[static_cast<size_t>(c)] = tree->transition(
          xs + c * dim, es + c, gs + c * dim, inverse + c * metric_stride, eps[c], stream);
    }
  });
  state.x = x;
  state.energy = energy;
  state.grad = grad;
  return transition_info(results);
}

bool Nuts::StatBlocks::reusable(int64_t chains) const {
  // In place only while nothing outside the kernel holds these tensors or views of them: every
  // handle given out (the row views and the mask) is the kernel's alone again, and the storages
  // are shared by the kernel's own tensors only. (The blocks themselves are never given out;
  // their views may keep a reference to them.)
  if (!counts.defined() || counts.size(1) != chains || moved.use_count() != 1) return false;
  for (const torch::Tensor& row : rows) {
    if (row.use_count() != 1) return false;
  }
  return counts.storage().use_count() == 4 && values.storage().use_count() == 3 &&
         moved.storage().use_count() == 1;
}

void Nuts::StatBlocks::allocate(int64_t chains) {
  counts = torch::empty({3, chains}, torch::kInt64);    // depth, leapfrog, divergent
  values = torch::empty({2, chains}, torch::kFloat64);  // accept_stat__, energy__
  moved = torch::empty({chains}, torch::kBool);
  rows = {counts[0], counts[1], counts[2], values[0], values[1]};
}

Info Nuts::transition_info(const std::vector<NutsChainResult>& results) {
  // Two blocks and a mask, the statistics as row views, reused between transitions while
  // unshared: no allocation per transition in the common case.
  const int64_t chains = static_cast<int64_t>(results.size());
  if (!stats_.reusable(chains)) stats_.allocate(chains);
  int64_t* n = stats_.counts.data_ptr<int64_t>();
  double* v = stats_.values.data_ptr<double>();
  bool* m = stats_.moved.data_ptr<bool>();
  Info info;
  info.energy_evals = 0;
  for (int64_t c = 0; c < chains; ++c) {
    const NutsChainResult& r = results[static_cast<size_t>(c)];
    n[c] = r.depth;
    n[chains + c] = r.n_leapfrog;
    n[2 * chains + c] = r.divergent ? 1 : 0;
    v[c] = r.accept_prob;
    v[chains + c] = r.hamiltonian;
    m[c] = r.moved;
    info.energy_evals += r.n_leapfrog;
  }
  info.accept_prob = stats_.rows[3];
  info.accepted = stats_.moved;
  info.gradient_evals = info.energy_evals;
  info.stats.reserve(5);
  add_step_size_stat(info);
  info.add_stat("treedepth__", stats_.rows[0]);
  info.add_stat("n_leapfrog__", stats_.rows[1]);
  info.add_stat("divergent__", stats_.rows[2]);
  info.add_stat("energy__", stats_.rows[4]);
  return info;
}

Info Nuts::step_batched(State& state, Rng& rng) {
  const int64_t chains = state.chains(), dim = state.x.size(1);
  const DiagonalMetric metric = this->metric();
  const torch::Tensor inverse_metric = metric.inverse.contiguous();
  const torch::Tensor p0 = metric.sample_momentum(state.x, rng);
  const PhasePoint z0 = phase_point(state, p0);
  const RowMatrix p0_rows(p0);
  const std::vector<double> z0_energy = to_vector(z0.energy);
  const std::vector<double> step_size = to_vector(tuning_.step_size.expand({chains}));

  Trajectory t;
  t.chains = chains;
  t.dim = dim;
  t.inverse_metric = inverse_metric.data_ptr<double>();
  t.metric_stride = inverse_metric.size(0) == 1 ? 0 : dim;
  t.h0.resize(chains);
  for (int64_t c = 0; c < chains; ++c) {
    t.h0[c] = hamiltonian_row(z0_energy[c], p0_rows.row(c), t.metric_row(c), dim, nullptr);
  }
  t.n_leapfrog.assign(chains, 0);
  t.sum_metro_prob.assign(chains, 0.0);
  t.divergent.assign(chains, 0);

  // Both ends of the trajectory, the sample, and the momenta and velocities at both ends of
  // the forward and backward halves (Stan's names: fwd_bck is the backward end of the forward
  // half, and so on).
  PointRows z_forward(z0), z_backward = z_forward, z_sample = z_forward;
  const RowMatrix p_sharp0(metric.velocity(p0));
  RowMatrix p_fwd_fwd = p0_rows, p_fwd_bck = p0_rows, p_bck_fwd = p0_rows, p_bck_bck = p0_rows;
  RowMatrix p_sharp_fwd_fwd = p_sharp0, p_sharp_fwd_bck = p_sharp0, p_sharp_bck_fwd = p_sharp0,
            p_sharp_bck_bck = p_sharp0;
  RowMatrix rho = p0_rows, rho_fwd(chains, dim), rho_bck(chains, dim);
  std::vector<double> log_sum_weight(chains, 0.0);
  std::vector<char> active(chains, 1);
  std::vector<int64_t> depth(chains, 0);
  std::vector<double> signed_step(chains);

  for (int64_t d = 0; d < options_.max_depth(); ++d) {
    if (std::none_of(active.begin(), active.end(), [](char a) { return a != 0; })) break;
    const std::vector<double> direction_draw = to_vector(rng.uniform({chains}));
    std::vector<char> forward(chains);
    PointRows start = z_backward;
    for (int64_t c = 0; c < chains; ++c) {
      forward[c] = direction_draw[c] > 0.5;
      signed_step[c] = forward[c] ? step_size[c] : -step_size[c];
      if (forward[c]) start.set_row(c, z_forward);
      // The old trajectory becomes the half that is not extended: extending forward, it is
      // the backward half and its forward end is the old forward end (mirrored backwards).
      RowMatrix& old_half = forward[c] ? rho_bck : rho_fwd;
      RowMatrix& new_half = forward[c] ? rho_fwd : rho_bck;
      old_half.set_row(c, rho.row(c));
      std::fill(new_half.row(c), new_half.row(c) + dim, 0.0);
      if (forward[c]) {
        p_bck_fwd.set_row(c, p_fwd_fwd.row(c));
        p_sharp_bck_fwd.set_row(c, p_sharp_fwd_fwd.row(c));
      } else {
        p_fwd_bck.set_row(c, p_bck_bck.row(c));
        p_sharp_fwd_bck.set_row(c, p_sharp_bck_bck.row(c));
      }
    }
    t.z = start.to_phase_point();
    t.step = to_tensor(signed_step);

    Subtree sub = build_tree(d, t, active, rng);
    const PointRows frontier(t.z);
    const std::vector<double> take_draw = to_vector(rng.uniform({chains}));
    for (int64_t c = 0; c < chains; ++c) {
      if (!active[c]) continue;
      (forward[c] ? z_forward : z_backward).set_row(c, frontier);
      if (forward[c]) {
        p_sharp_fwd_bck.set_row(c, sub.p_sharp_begin.row(c));
        p_sharp_fwd_fwd.set_row(c, sub.p_sharp_end.row(c));
        rho_fwd.set_row(c, sub.rho.row(c));
        p_fwd_bck.set_row(c, sub.p_begin.row(c));
        p_fwd_fwd.set_row(c, sub.p_end.row(c));
      } else {
        p_sharp_bck_fwd.set_row(c, sub.p_sharp_begin.row(c));
        p_sharp_bck_bck.set_row(c, sub.p_sharp_end.row(c));
        rho_bck.set_row(c, sub.rho.row(c));
        p_bck_fwd.set_row(c, sub.p_begin.row(c));
        p_bck_bck.set_row(c, sub.p_end.row(c));
      }
      if (!sub.valid[c]) {
        active[c] = 0;
        continue;
      }
      depth[c] += 1;
      // Biased progressive sampling: prefer the new subtree by its weight relative to the old.
      if (take_draw[c] < std::exp(sub.log_sum_weight[c] - log_sum_weight[c])) {
        z_sample.set_row(c, sub.proposal);
      }
      log_sum_weight[c] = log_add_exp(log_sum_weight[c], sub.log_sum_weight[c]);
      double* rho_c = rho.row(c);
      const double* rho_b = rho_bck.row(c);
      const double* rho_f = rho_fwd.row(c);
      for (int64_t i = 0; i < dim; ++i) rho_c[i] = rho_b[i] + rho_f[i];
      active[c] = no_u_turn(p_sharp_bck_bck.row(c), p_sharp_fwd_fwd.row(c), rho_c, dim) &&
                  no_u_turn_sum(p_sharp_bck_bck.row(c), p_sharp_fwd_bck.row(c), rho_b,
                                p_fwd_bck.row(c), dim) &&
                  no_u_turn_sum(p_sharp_bck_fwd.row(c), p_sharp_fwd_fwd.row(c), rho_f,
                                p_bck_fwd.row(c), dim);
    }
  }

  std::vector<NutsChainResult> results(static_cast<size_t>(chains));
  const RowMatrix x_old(state.x);
  for (int64_t c = 0; c < chains; ++c) {
    NutsChainResult& r = results[static_cast<size_t>(c)];
    r.depth = depth[c];
    r.n_leapfrog = t.n_leapfrog[c];
    r.accept_prob =
        t.sum_metro_prob[c] / static_cast<double>(std::max<int64_t>(t.n_leapfrog[c], 1));
    r.divergent = t.divergent[c] != 0;
    // energy__ (Stan): the Hamiltonian of the drawn point with the momentum it was drawn with.
    r.hamiltonian =
        hamiltonian_row(z_sample.energy[c], z_sample.p.row(c), t.metric_row(c), dim, nullptr);
    r.moved = !std::equal(z_sample.x.row(c), z_sample.x.row(c) + dim, x_old.row(c));
  }
  state.x = z_sample.x.to_tensor();
  state.energy = to_tensor(z_sample.energy);
  state.grad = z_sample.grad.to_tensor();
  return transition_info(results);
}

EBMC_REGISTER(register_sampler<NutsOptions>("nuts", "No-U-Turn sampler (Stan's multinomial NUTS)",
                                            [](const NutsOptions& o) {
                                              return adapted_sampler(std::make_shared<Nuts>(o),
                                                                     o.adaptation());
                                            }));

}  // namespace ebmc
