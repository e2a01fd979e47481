#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/mmd.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/discrete/fhmm.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/sample.h"
#include "experiments.h"

namespace ebmc::bench {

namespace {

/// Calls `record(iteration, state)` every `every` sampling transitions.
class Checkpoints : public RunCallback {
 public:
  Checkpoints(int64_t every, std::function<void(int64_t, const State&)> record)
      : every_(every), record_(std::move(record)) {}
  void on_transition(Phase phase, int64_t iteration, const State& state, const Info&) override {
    if (phase == Phase::kSampling && (iteration + 1) % every_ == 0) record_(iteration + 1, state);
  }

 private:
  int64_t every_;
  std::function<void(int64_t, const State&)> record_;
};

/// One discrete run: bulk-ESS of the Hamming distance to a random reference state.
struct DiscreteMeasurement {
  std::string sampler;
  double ess = 0, seconds = 0, accept = 0;
  int64_t steps = 0, energy_evals = 0, flips = 0;
  State final_state;
  double seconds_per_step() const { return seconds / static_cast<double>(steps); }
};

DiscreteMeasurement measure(const DiscreteTarget& target, const std::string& sampler,
                            int64_t chains, int64_t warmup, int64_t steps, uint64_t seed,
                            const std::vector<RunCallback*>& callbacks = {}) {
  std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(sampler);
  Rng rng(seed);
  // Keep the final state for the MMD and FHMM read-outs.
  DiscreteMeasurement m;
  class KeepFinal : public RunCallback {
   public:
    explicit KeepFinal(State& out) : out_(out) {}
    void on_transition(Phase, int64_t, const State& s, const Info&) override { out_ = s; }

   private:
    State& out_;
  } keep(m.final_state);
  std::vector<RunCallback*> all = callbacks;
  all.push_back(&keep);
  // As `ebmc sample` runs it: column 0 is the Hamming distance to the reference state.
  RunResult run = run_discrete_sampler(*kernel, target, chains, rng,
                                       RunOptions().warmup(warmup).draws(steps), all);
  m.sampler = sampler;
  m.ess = summarize("hamming", per_parameter(run.draws)[0]).ess_bulk;
  m.seconds = run.sampling_cost.wall_seconds;
  m.accept = run.accept_rate;
  m.steps = steps;
  m.energy_evals = run.sampling_cost.energy_evals;
  m.flips = static_cast<int64_t>(run.sampling_total("flips__"));
  return m;
}

nlohmann::json to_json(const DiscreteMeasurement& m) {
  return {{"sampler", m.sampler},
          {"ess_bulk", m.ess},
          {"seconds", m.seconds},
          {"ess_per_second", m.ess / m.seconds},
          {"ess_per_energy_eval", m.ess / static_cast<double>(m.energy_evals)},
          {"seconds_per_step", m.seconds_per_step()},
          {"accept_rate", m.accept},
          {"accepted_flips", m.flips}};
}

const std::vector<std::pair<std::string, std::string>> kIsingSamplers = {
    {"Gibbs-1", "gibbs"},
    {"Gibbs-2", "gibbs:block=2"},
    {"HB-10-1", "hb:block=10,radius=1"},
    {"GWG", "gwg"},
    {"GWG-3", "gwg:flips=3"}};

nlohmann::json ising_experiment(const BenchOptions& options, int64_t chains) {
  nlohmann::json rows = nlohmann::json::array();
  std::printf(
      "\nIsing on a periodic lattice: bulk-ESS of the Hamming distance to a random reference "
      "state (%lld chains)\n",
      static_cast<long long>(chains));
  std::printf("%-7s %6s %-8s %8s %10s %10s %12s %8s\n", "lattice", "theta", "sampler", "ess",
              "ess/s", "ms/step", "cost/Gibbs1", "accept");
  for (int64_t n : {int64_t{10}, int64_t{40}}) {
    // Scaled to a 2-core machine: the paper runs 100,000 steps per chain.
    const int64_t steps = options.quick ? 300 : (n == 10 ? 20000 : 10000);
    for (double theta : {-0.1, 0.0, 0.1, 0.25, 0.5}) {
      IsingModel ising = IsingModel::lattice(n, n, theta);
      double gibbs_seconds = 0;
      for (const auto& [label, spec] : kIsingSamplers) {
        DiscreteMeasurement m = measure(ising, spec, chains, steps / 10, steps, options.seed);
        if (label == "Gibbs-1") gibbs_seconds = m.seconds_per_step();
        std::printf("%3lldx%-3lld %6.2f %-8s %8.1f %10.1f %10.3f %11.2fx %8.3f\n",
                    static_cast<long long>(n), static_cast<long long>(n), theta, label.c_str(),
                    m.ess, m.ess / m.seconds, 1e3 * m.seconds_per_step(),
                    m.seconds_per_step() / gibbs_seconds, m.accept);
        std::fflush(stdout);
        nlohmann::json row = to_json(m);
        row["lattice"] = n;
        row["theta"] = theta;
        row["steps"] = steps;
        row["cost_vs_gibbs1"] = m.seconds_per_step() / gibbs_seconds;
        rows.push_back(row);
      }
    }
  }
  return rows;
}

nlohmann::json rbm_experiment(const BenchOptions& options) {
  Rng model_rng(options.seed);
  Rbm rbm = Rbm::random(100, 25, model_rng);
  const int64_t truth_chains = 500, chains = 100;
  const int64_t truth_steps = options.quick ? 200 : 10000;
  const int64_t steps = options.quick ? 200 : 5000;
  // Ground truth: long block-Gibbs runs, twice, so that the MMD floor between two exact sample
  // sets is known ("Target" in the paper's figure 3).
  auto ground_truth = [&](uint64_t seed) {
    std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler("rbm_gibbs");
    Rng rng(seed);
    State s = kernel->init(rbm, rbm.random_states(truth_chains, rng));
    for (int64_t t = 0; t < truth_steps; ++t) kernel->step(s, rng);
    return s.x;
  };
  const torch::Tensor truth = ground_truth(options.seed + 100);
  const double floor = mmd_squared(ground_truth(options.seed + 200), truth);
  std::printf(
      "\nRBM 100 visible x 25 hidden: log MMD^2 (exp-Hamming kernel) of %lld chains against %lld "
      "block-Gibbs samples after %lld steps (two block-Gibbs sets: log MMD^2 = %.2f); bulk-ESS "
      "of the Hamming statistic\n",
      static_cast<long long>(chains), static_cast<long long>(truth_chains),
      static_cast<long long>(truth_steps), std::log(floor));
  const int64_t every = steps / 5;
  std::printf("%-10s", "sampler");
  for (int64_t k = 1; k <= 5; ++k) std::printf(" %9s", ("@" + std::to_string(k * every)).c_str());
  std::printf(" %8s %9s %10s\n", "ess", "ess/s", "ms/step");
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [label, spec] :
       std::vector<std::pair<std::string, std::string>>{{"Gibbs-1", "gibbs"},
                                                        {"HB-10-1", "hb:block=10,radius=1"},
                                                        {"GWG", "gwg"},
                                                        {"GWG-3", "gwg:flips=3"},
                                                        {"GWG-5", "gwg:flips=5"},
                                                        {"BlockGibbs", "rbm_gibbs"}}) {
    std::vector<double> log_mmd;
    Checkpoints trace(every, [&](int64_t, const State& s) {
      log_mmd.push_back(std::log(mmd_squared(s.x, truth)));
    });
    DiscreteMeasurement m = measure(rbm, spec, chains, 0, steps, options.seed, {&trace});
    std::printf("%-10s", label.c_str());
    for (double v : log_mmd) std::printf(" %9.2f", v);
    std::printf(" %8.1f %9.1f %10.3f\n", m.ess, m.ess / m.seconds, 1e3 * m.seconds_per_step());
    std::fflush(stdout);
    nlohmann::json row = to_json(m);
    row["log_mmd2"] = log_mmd;
    row["checkpoint_every"] = every;
    rows.push_back(row);
  }
  return {{"log_mmd2_between_ground_truth_sets", std::log(floor)}, {"runs", rows}};
}

nlohmann::json fhmm_experiment(const BenchOptions& options) {
  Rng model_rng(options.seed);
  Fhmm fhmm = Fhmm::random(1000, 10, model_rng);
  const int64_t chains = 16, steps = options.quick ? 200 : 5000;
  const int64_t every = steps / 5;
  const double truth_f = fhmm.log_prob(fhmm.true_states()).item<double>();
  std::printf(
      "\nFactorial HMM L=1000, K=10 posterior: mean log-joint f(x) and log reconstruction error "
      "over %lld chains (the path that generated y: f = %.1f)\n",
      static_cast<long long>(chains), truth_f);
  std::printf("%-10s", "sampler");
  for (int64_t k = 1; k <= 5; ++k) std::printf(" %9s", ("f@" + std::to_string(k * every)).c_str());
  std::printf(" %10s %10s\n", "log_recon", "ms/step");
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [label, spec] : std::vector<std::pair<std::string, std::string>>{
           {"Gibbs-1", "gibbs"}, {"Block-HB", "hb:block=10,radius=1,aligned=1"}, {"GWG", "gwg"}}) {
    std::vector<double> log_joint, log_recon;
    Checkpoints trace(every, [&](int64_t, const State& s) {
      log_joint.push_back(-s.energy.mean().item<double>());
      log_recon.push_back(std::log(fhmm.reconstruction_error(s.x).mean().item<double>()));
    });
    DiscreteMeasurement m = measure(fhmm, spec, chains, 0, steps, options.seed, {&trace});
    std::printf("%-10s", label.c_str());
    for (double v : log_joint) std::printf(" %9.1f", v);
    std::printf(" %10.3f %10.3f\n", log_recon.back(), 1e3 * m.seconds_per_step());
    std::fflush(stdout);
    nlohmann::json row = to_json(m);
    row["log_joint"] = log_joint;
    row["log_reconstruction_error"] = log_recon;
    row["checkpoint_every"] = every;
    rows.push_back(row);
  }
  return {{"true_path_log_joint", truth_f}, {"runs", rows}};
}

}  // namespace

nlohmann::json run_discrete_bench(const BenchOptions& options) {
  const int64_t chains = options.chains > 0 ? options.chains : 16;
  nlohmann::json result;
  result["ising"] = ising_experiment(options, chains);
  result["rbm"] = rbm_experiment(options);
  result["fhmm"] = fhmm_experiment(options);
  return result;
}

}  // namespace ebmc::bench
