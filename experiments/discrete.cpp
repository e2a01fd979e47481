#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "ebmc/core/errors.h"
#include "ebmc/core/runner.h"
#include "ebmc/diagnostics/mmd.h"
#include "ebmc/diagnostics/summary.h"
#include "ebmc/discrete/fhmm.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/io/csv_reader.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/sample.h"
#include "experiments.h"
#include "measurement.h"

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

/// One discrete run: bulk-ESS and R-hat of the Hamming distance to a random reference state
/// (drawn from the seed) and of the energy.
struct DiscreteMeasurement {
  std::string sampler;
  uint64_t seed = 0;
  double ess_hamming = 0, ess_energy = 0, rhat = 0, seconds = 0, accept = 0;
  int64_t steps = 0, energy_evals = 0, flips = 0;
  State final_state;
  double seconds_per_step() const { return seconds / static_cast<double>(steps); }
};

DiscreteMeasurement measure(const DiscreteTarget& target, const std::string& sampler,
                            int64_t chains, int64_t warmup, int64_t steps, uint64_t seed,
                            const std::vector<RunCallback*>& callbacks = {}) {
  std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(sampler);
  // Per-chain streams, as `ebmc sample` runs (and what the fused per-chain kernels need).
  Rng rng(seed, ChainStreams{0, chains});
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
  // As `ebmc sample` runs it: column 0 is the Hamming distance to the reference state, column 1
  // the energy.
  RunResult run = run_discrete_sampler(*kernel, target, chains, rng,
                                       RunOptions().warmup(warmup).draws(steps), all);
  const std::vector<ChainMatrix> columns = per_parameter(run.draws);
  const ParameterSummary hamming = summarize("hamming", columns[0]);
  const ParameterSummary energy = summarize("energy", columns[1]);
  m.sampler = sampler;
  m.seed = seed;
  m.ess_hamming = hamming.ess_bulk;
  m.ess_energy = energy.ess_bulk;
  // A statistic that is constant over the whole run (the energy at θ = 0) has no R-hat; when
  // neither has one every chain is frozen: counted as not converged.
  m.rhat = std::isfinite(hamming.rhat) || std::isfinite(energy.rhat)
               ? std::fmax(hamming.rhat, energy.rhat)
               : HUGE_VAL;
  m.seconds = run.sampling_cost.wall_seconds;
  m.accept = run.accept_rate;
  m.steps = steps;
  m.energy_evals = run.sampling_cost.energy_evals;
  m.flips = static_cast<int64_t>(run.sampling_total("flips__"));
  return m;
}

nlohmann::json to_json(const DiscreteMeasurement& m) {
  return {{"sampler", m.sampler},
          {"seed", m.seed},
          {"ess_bulk_hamming", m.ess_hamming},
          {"ess_bulk_energy", m.ess_energy},
          {"rhat_max", std::isfinite(m.rhat) ? nlohmann::json(m.rhat) : nlohmann::json()},
          {"seconds", m.seconds},
          {"hamming_ess_per_second", m.ess_hamming / m.seconds},
          {"energy_ess_per_second", m.ess_energy / m.seconds},
          {"hamming_ess_per_energy_eval", m.ess_hamming / static_cast<double>(m.energy_evals)},
          {"seconds_per_step", m.seconds_per_step()},
          {"accept_rate", m.accept},
          {"accepted_flips", m.flips}};
}

/// The same configuration over several seeds.
struct SeedRuns {
  std::vector<DiscreteMeasurement> runs;

  std::vector<double> values(double (*get)(const DiscreteMeasurement&)) const {
    std::vector<double> out;
    for (const DiscreteMeasurement& m : runs) out.push_back(get(m));
    return out;
  }
  /// Runs with R-hat above 1.01 on either statistic.
  int64_t unconverged() const {
    int64_t count = 0;
    for (const DiscreteMeasurement& m : runs) count += m.rhat > 1.01;
    return count;
  }
  double max_rhat() const {
    double r = 0;
    for (const DiscreteMeasurement& m : runs) r = std::max(r, m.rhat);
    return r;
  }
  double mean_seconds_per_step() const {
    return mean_finite(values([](const DiscreteMeasurement& m) { return m.seconds_per_step(); }));
  }
};

double hamming_ess(const DiscreteMeasurement& m) { return m.ess_hamming; }
double energy_ess(const DiscreteMeasurement& m) { return m.ess_energy; }
double hamming_ess_per_second(const DiscreteMeasurement& m) { return m.ess_hamming / m.seconds; }
double energy_ess_per_second(const DiscreteMeasurement& m) { return m.ess_energy / m.seconds; }
double accept_rate(const DiscreteMeasurement& m) { return m.accept; }

/// "1.23 (2/4)": the largest R-hat over seeds and how many runs exceed 1.01.
std::string rhat_column(const SeedRuns& s) {
  char text[48];
  if (!std::isfinite(s.max_rhat())) {
    std::snprintf(text, sizeof text, "frozen (%lld/%zu)", static_cast<long long>(s.unconverged()),
                  s.runs.size());
  } else {
    std::snprintf(text, sizeof text, "%.3f%s(%lld/%zu)", s.max_rhat(),
                  s.unconverged() > 0 ? "* " : "  ", static_cast<long long>(s.unconverged()),
                  s.runs.size());
  }
  return text;
}

/// The aggregate row of a configuration: mean ± standard error over seeds, and every run.
nlohmann::json to_json(const SeedRuns& s) {
  nlohmann::json runs = nlohmann::json::array();
  for (const DiscreteMeasurement& m : s.runs) runs.push_back(to_json(m));
  return {
      {"hamming_ess", mean_se(s.values(hamming_ess), "%.1f")},
      {"energy_ess", mean_se(s.values(energy_ess), "%.1f")},
      {"hamming_ess_per_second", mean_se(s.values(hamming_ess_per_second), "%.1f")},
      {"energy_ess_per_second", mean_se(s.values(energy_ess_per_second), "%.1f")},
      {"rhat_max", std::isfinite(s.max_rhat()) ? nlohmann::json(s.max_rhat()) : nlohmann::json()},
      {"runs_with_rhat_above_1_01", s.unconverged()},
      {"seconds_per_step", s.mean_seconds_per_step()},
      {"runs", runs}};
}

int64_t seed_count(const BenchOptions& options, int64_t fallback) {
  if (options.seeds > 0) return options.seeds;
  return options.quick ? 2 : fallback;
}

bool wanted(const BenchOptions& options, const std::string& part) {
  return options.only.empty() || options.only == part;
}

const std::vector<std::pair<std::string, std::string>> kIsingSamplers = {
    {"Gibbs-1", "gibbs"},
    {"Gibbs-2", "gibbs:block=2"},
    {"HB-10-1", "hb:block=10,radius=1"},
    {"GWG", "gwg"},
    {"GWG-3", "gwg:flips=3"}};

nlohmann::json ising_experiment(const BenchOptions& options, int64_t chains) {
  nlohmann::json rows = nlohmann::json::array();
  const int64_t seeds = seed_count(options, 4);
  std::printf(
      "\nIsing on a periodic lattice, %lld chains, %lld seeds (the reference state drawn per "
      "seed): bulk-ESS of the Hamming distance to a random reference state and of the energy, "
      "mean ± standard error over seeds; R-hat: the largest over seeds and both statistics, * "
      "and (k/n) when k runs exceed 1.01\n",
      static_cast<long long>(chains), static_cast<long long>(seeds));
  std::printf("%-7s %6s %-8s %16s %14s %16s %14s %16s %8s %11s %7s\n", "lattice", "theta",
              "sampler", "ess(hamming)", "ess/s", "ess(energy)", "ess/s", "rhat", "ms/step",
              "cost/Gibbs1", "accept");
  for (int64_t n : {int64_t{10}, int64_t{40}}) {
    // Scaled to a 2-core machine: the paper runs 100,000 steps per chain.
    const int64_t steps = options.quick ? 300 : 10000;
    for (double theta : {-0.1, 0.0, 0.1, 0.25, 0.5}) {
      IsingModel ising = IsingModel::lattice(n, n, theta);
      double gibbs_seconds = 0;
      for (const auto& [label, spec] : kIsingSamplers) {
        // On 40×40 the samplers that evaluate f at every candidate cost 8–30× Gibbs-1 per step
        // on a CPU (see the cost column at 10×10 and the README): left out of the larger lattice.
        if (n == 40 && (label == "Gibbs-2" || label == "HB-10-1")) continue;
        SeedRuns s;
        for (int64_t k = 0; k < seeds; ++k) {
          s.runs.push_back(measure(ising, spec, chains, steps / 10, steps,
                                   options.seed + static_cast<uint64_t>(k)));
        }
        if (label == "Gibbs-1") gibbs_seconds = s.mean_seconds_per_step();
        std::printf("%3lldx%-3lld %6.2f %-8s %16s %14s %16s %14s %16s %8.3f %10.2fx %7s\n",
                    static_cast<long long>(n), static_cast<long long>(n), theta, label.c_str(),
                    mean_se(s.values(hamming_ess), "%.0f").c_str(),
                    mean_se(s.values(hamming_ess_per_second), "%.0f").c_str(),
                    mean_se(s.values(energy_ess), "%.0f").c_str(),
                    mean_se(s.values(energy_ess_per_second), "%.0f").c_str(),
                    rhat_column(s).c_str(), 1e3 * s.mean_seconds_per_step(),
                    s.mean_seconds_per_step() / gibbs_seconds,
                    mean_se(s.values(accept_rate), "%.2f").c_str());
        std::fflush(stdout);
        nlohmann::json row = to_json(s);
        row["sampler"] = spec;
        row["lattice"] = n;
        row["theta"] = theta;
        row["steps"] = steps;
        row["cost_vs_gibbs1"] = s.mean_seconds_per_step() / gibbs_seconds;
        rows.push_back(row);
      }
    }
  }
  return {{"seeds", seeds}, {"chains", chains}, {"rows", rows}};
}

/// Mean ± standard error, per checkpoint, of traces recorded over seeds.
std::vector<std::string> per_checkpoint(const std::vector<std::vector<double>>& traces,
                                        const char* format) {
  std::vector<std::string> out;
  for (size_t c = 0; c < traces.front().size(); ++c) {
    std::vector<double> column;
    for (const std::vector<double>& t : traces) column.push_back(t[c]);
    out.push_back(mean_se(column, format));
  }
  return out;
}

nlohmann::json rbm_experiment(const BenchOptions& options) {
  const int64_t seeds = seed_count(options, 3);
  const int64_t truth_chains = 500, chains = 100;
  const int64_t truth_steps = options.quick ? 200 : 10000;
  const int64_t steps = options.quick ? 200 : 5000;
  const int64_t every = steps / 5;
  const std::vector<std::pair<std::string, std::string>> samplers = {
      {"Gibbs-1", "gibbs"},     {"HB-10-1", "hb:block=10,radius=1"},
      {"GWG", "gwg"},           {"GWG-3", "gwg:flips=3"},
      {"GWG-5", "gwg:flips=5"}, {"BlockGibbs", "rbm_gibbs"}};
  std::vector<SeedRuns> runs(samplers.size());
  std::vector<std::vector<std::vector<double>>> traces(samplers.size());
  std::vector<double> floors;
  for (int64_t k = 0; k < seeds; ++k) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(k);
    // A random RBM per seed (appendix C.2), with its own ground truth: long block-Gibbs runs,
    // twice, so that the MMD floor between two exact sample sets is known ("Target" in the
    // paper's figure 3).
    Rng model_rng(seed);
    Rbm rbm = Rbm::random(100, 25, model_rng);
    auto ground_truth = [&](uint64_t truth_seed) {
      std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler("rbm_gibbs");
      Rng rng(truth_seed);
      State s = kernel->init(rbm, rbm.random_states(truth_chains, rng));
      for (int64_t t = 0; t < truth_steps; ++t) kernel->step(s, rng);
      return s.x;
    };
    const torch::Tensor truth = ground_truth(seed + 100);
    floors.push_back(std::log(mmd_squared(ground_truth(seed + 200), truth)));
    for (size_t i = 0; i < samplers.size(); ++i) {
      std::vector<double> log_mmd;
      Checkpoints trace(every, [&](int64_t, const State& s) {
        log_mmd.push_back(std::log(mmd_squared(s.x, truth)));
      });
      runs[i].runs.push_back(measure(rbm, samplers[i].second, chains, 0, steps, seed, {&trace}));
      traces[i].push_back(log_mmd);
    }
  }
  std::printf(
      "\nRBM 100 visible x 25 hidden (a random RBM per seed), %lld seeds: log MMD^2 "
      "(exp-Hamming kernel) of %lld chains against %lld block-Gibbs samples after %lld steps "
      "(two block-Gibbs sets: log MMD^2 = %s); bulk-ESS of the Hamming statistic and of the "
      "energy; mean ± standard error over seeds\n",
      static_cast<long long>(seeds), static_cast<long long>(chains),
      static_cast<long long>(truth_chains), static_cast<long long>(truth_steps),
      mean_se(floors, "%.2f").c_str());
  std::printf("%-10s", "sampler");
  for (int64_t k = 1; k <= 5; ++k) std::printf(" %13s", ("@" + std::to_string(k * every)).c_str());
  std::printf(" %16s %14s %16s %16s %8s\n", "ess(hamming)", "ess/s", "ess(energy)", "rhat",
              "ms/step");
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < samplers.size(); ++i) {
    const std::vector<std::string> mmd = per_checkpoint(traces[i], "%.2f");
    std::printf("%-10s", samplers[i].first.c_str());
    for (const std::string& v : mmd) std::printf(" %13s", v.c_str());
    std::printf(" %16s %14s %16s %16s %8.3f\n",
                mean_se(runs[i].values(hamming_ess), "%.0f").c_str(),
                mean_se(runs[i].values(hamming_ess_per_second), "%.0f").c_str(),
                mean_se(runs[i].values(energy_ess), "%.0f").c_str(), rhat_column(runs[i]).c_str(),
                1e3 * runs[i].mean_seconds_per_step());
    nlohmann::json row = to_json(runs[i]);
    row["sampler"] = samplers[i].second;
    row["log_mmd2"] = mmd;
    row["log_mmd2_per_seed"] = traces[i];
    row["checkpoint_every"] = every;
    rows.push_back(row);
  }
  std::fflush(stdout);
  return {{"seeds", seeds}, {"log_mmd2_between_ground_truth_sets", floors}, {"rows", rows}};
}

nlohmann::json fhmm_experiment(const BenchOptions& options) {
  const int64_t seeds = seed_count(options, 3);
  const int64_t chains = 16, steps = options.quick ? 200 : 5000;
  const int64_t every = steps / 5;
  const std::vector<std::pair<std::string, std::string>> samplers = {
      {"Gibbs-1", "gibbs"}, {"Block-HB", "hb:block=10,radius=1,aligned=1"}, {"GWG", "gwg"}};
  std::vector<SeedRuns> runs(samplers.size());
  std::vector<std::vector<std::vector<double>>> joints(samplers.size()), recons(samplers.size());
  std::vector<double> truths;
  for (int64_t k = 0; k < seeds; ++k) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(k);
    Rng model_rng(seed);
    Fhmm fhmm = Fhmm::random(1000, 10, model_rng);
    truths.push_back(fhmm.log_prob(fhmm.true_states()).item<double>());
    for (size_t i = 0; i < samplers.size(); ++i) {
      std::vector<double> log_joint, log_recon;
      Checkpoints trace(every, [&](int64_t, const State& s) {
        log_joint.push_back(-s.energy.mean().item<double>());
        log_recon.push_back(std::log(fhmm.reconstruction_error(s.x).mean().item<double>()));
      });
      runs[i].runs.push_back(measure(fhmm, samplers[i].second, chains, 0, steps, seed, {&trace}));
      // Relative to the path that generated y, so that seeds (different data) can be averaged.
      for (double& f : log_joint) f -= truths.back();
      joints[i].push_back(log_joint);
      recons[i].push_back(log_recon);
    }
  }
  std::printf(
      "\nFactorial HMM L=1000, K=10 posterior (a random model and data set per seed), %lld "
      "seeds, %lld chains: mean log-joint f(x) minus f at the path that generated y, and log "
      "reconstruction error at the end; mean ± standard error over seeds\n",
      static_cast<long long>(seeds), static_cast<long long>(chains));
  std::printf("%-10s", "sampler");
  for (int64_t k = 1; k <= 5; ++k)
    std::printf(" %15s", ("Δf@" + std::to_string(k * every)).c_str());
  std::printf(" %15s %8s\n", "log_recon", "ms/step");
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < samplers.size(); ++i) {
    const std::vector<std::string> joint = per_checkpoint(joints[i], "%.1f");
    const std::vector<std::string> recon = per_checkpoint(recons[i], "%.3f");
    std::printf("%-10s", samplers[i].first.c_str());
    for (const std::string& v : joint) std::printf(" %15s", v.c_str());
    std::printf(" %15s %8.3f\n", recon.back().c_str(), 1e3 * runs[i].mean_seconds_per_step());
    nlohmann::json row = to_json(runs[i]);
    row["sampler"] = samplers[i].second;
    row["log_joint_minus_truth"] = joint;
    row["log_joint_minus_truth_per_seed"] = joints[i];
    row["log_reconstruction_error"] = recon;
    row["checkpoint_every"] = every;
    rows.push_back(row);
  }
  std::fflush(stdout);
  return {{"seeds", seeds}, {"true_path_log_joint", truths}, {"rows", rows}};
}

/// Bulk-ESS and R-hat of the Hamming statistic the GWG_release tool wrote ([steps, chains] CSV)
/// and its seconds, from the tool's JSON.
DiscreteMeasurement read_gwg_release_run(const std::string& csv, uint64_t seed) {
  CsvReader reader(csv);
  std::vector<std::string> fields;
  reader.next_row(fields);  // header
  const int64_t chains = static_cast<int64_t>(fields.size());
  std::vector<double> values;
  while (reader.next_row(fields)) {
    if (static_cast<int64_t>(fields.size()) != chains) {
      throw InputError("ragged row", reader.where());
    }
    for (const std::string& f : fields) values.push_back(reader.parse_number(f, "hamming"));
  }
  const int64_t steps = static_cast<int64_t>(values.size()) / chains;
  const torch::Tensor draws = torch::tensor(values, torch::kFloat64).view({steps, chains, 1});
  const ParameterSummary hamming = summarize("hamming", per_parameter(draws)[0]);
  std::ifstream in(csv + ".json");
  const nlohmann::json info = nlohmann::json::parse(in);
  DiscreteMeasurement m;
  m.sampler = "GWG_release gwg";
  m.seed = seed;
  m.ess_hamming = hamming.ess_bulk;
  m.rhat = hamming.rhat;
  m.seconds = info.at("seconds").get<double>();
  m.steps = steps;
  m.energy_evals = steps * chains;
  return m;
}

/// ebmc's GWG against the authors' (GWG_release's `DiffSampler`, run by tools/gwg_release_ising.py
/// with Debian's python3-torch, one thread) on the periodic Ising lattice, θ = 0.25, 100 chains,
/// the runs interleaved seed by seed: Hamming bulk-ESS per second and per step, seconds per step.
nlohmann::json gwg_release_experiment(const BenchOptions& options) {
  const int64_t chains = 100;
  const int64_t seeds = options.seeds > 0 ? options.seeds : (options.quick ? 1 : 3);
  const std::string tool = default_data_dir() + "/../tools/gwg_release_ising.py";
  std::printf(
      "\nGWG against the authors' code (GWG_release DiffSampler, python3-torch float32, one "
      "thread): periodic Ising, theta = 0.25, %lld chains, %lld seed(s), runs interleaved; "
      "Hamming bulk-ESS (mean ± SE)\n",
      static_cast<long long>(chains), static_cast<long long>(seeds));
  std::printf("%-7s %6s %-16s %16s %12s %12s %10s %8s\n", "lattice", "steps", "sampler", "ESS/s",
              "ESS/step", "ms/step", "ratio/s", "R-hat");
  nlohmann::json rows = nlohmann::json::array();
  for (const int64_t side : {int64_t{10}, int64_t{40}}) {
    const int64_t steps = options.quick ? 100 : (side == 10 ? 2000 : 500);
    const IsingModel ising = IsingModel::lattice(side, side, 0.25);
    SeedRuns ours, theirs;
    for (int64_t k = 0; k < seeds; ++k) {
      const uint64_t seed = options.seed + static_cast<uint64_t>(k);
      ours.runs.push_back(measure(ising, "gwg", chains, 0, steps, seed));
      const std::string csv =
          "gwg_release_" + std::to_string(side) + "_" + std::to_string(seed) + ".csv";
      const std::string command =
          "OMP_NUM_THREADS=1 /usr/bin/python3 " + tool + " --repo '" + options.gwg_release +
          "' --side " + std::to_string(side) + " --chains " + std::to_string(chains) + " --steps " +
          std::to_string(steps) + " --theta 0.25 --seed " + std::to_string(seed) + " --out " + csv +
          " > " + csv + ".log 2>&1";
      if (std::system(command.c_str()) != 0) {
        throw InputError("the GWG_release run failed; see " + csv + ".log", "--gwg-release");
      }
      theirs.runs.push_back(read_gwg_release_run(csv, seed));
    }
    const auto ess_s = [](const DiscreteMeasurement& m) { return m.ess_hamming / m.seconds; };
    const auto ess_step = [](const DiscreteMeasurement& m) {
      return m.ess_hamming / static_cast<double>(m.steps);
    };
    const auto ms_step = [](const DiscreteMeasurement& m) { return 1e3 * m.seconds_per_step(); };
    const double ratio = mean_finite(ours.values(ess_s)) / mean_finite(theirs.values(ess_s));
    char ratio_text[32];
    std::snprintf(ratio_text, sizeof ratio_text, "%.1fx", ratio);
    for (const SeedRuns* runs : {&ours, &theirs}) {
      const bool mine = runs == &ours;
      std::printf("%2lldx%-4lld %6lld %-16s %16s %12s %10s %9s %8.3f\n",
                  static_cast<long long>(side), static_cast<long long>(side),
                  static_cast<long long>(steps), mine ? "ebmc gwg" : "GWG_release gwg",
                  mean_se(runs->values(ess_s), "%.1f").c_str(),
                  mean_se(runs->values(ess_step), "%.4f").c_str(),
                  mean_se(runs->values(ms_step), "%.3f").c_str(), mine ? ratio_text : "",
                  max_finite(runs->values([](const DiscreteMeasurement& m) { return m.rhat; })));
    }
    std::fflush(stdout);
    nlohmann::json row = {{"side", side}, {"steps", steps}, {"ratio_ess_per_second", ratio}};
    for (const DiscreteMeasurement& m : ours.runs) row["ebmc"].push_back(to_json(m));
    for (const DiscreteMeasurement& m : theirs.runs) row["gwg_release"].push_back(to_json(m));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

nlohmann::json run_discrete_bench(const BenchOptions& options) {
  const int64_t chains = options.chains > 0 ? options.chains : 16;
  if (!options.only.empty() && options.only != "ising" && options.only != "rbm" &&
      options.only != "fhmm" && options.only != "gwg-release") {
    throw InputError(
        "unknown part '" + options.only + "' of bench discrete (ising, rbm, fhmm, gwg-release)",
        "--only");
  }
  if (options.only == "gwg-release" && options.gwg_release.empty()) {
    throw InputError("--only gwg-release needs --gwg-release PATH (a GWG_release checkout)",
                     "--only");
  }
  if (!options.gwg_release.empty() &&
      !std::filesystem::exists(options.gwg_release + "/samplers.py")) {
    throw InputError("not a GWG_release checkout (no samplers.py)", options.gwg_release);
  }
  nlohmann::json result;
  if (!options.gwg_release.empty() && (options.only.empty() || options.only == "gwg-release")) {
    result["gwg_release"] = gwg_release_experiment(options);
    if (options.only == "gwg-release") return result;
  }
  if (wanted(options, "ising")) result["ising"] = ising_experiment(options, chains);
  if (wanted(options, "rbm")) result["rbm"] = rbm_experiment(options);
  if (wanted(options, "fhmm")) result["fhmm"] = fhmm_experiment(options);
  return result;
}

}  // namespace ebmc::bench
