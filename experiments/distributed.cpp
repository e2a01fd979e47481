// `ebmc bench distributed`: one process against two (one thread each) on this machine, for
// sampling 1024 chains and for two data-parallel training configurations.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/distributed/launcher.h"
#include "ebmc/io/scratch_dir.h"
#include "experiments/experiments.h"
#include "experiments/measurement.h"

namespace ebmc::bench {

namespace {

/// Runs `ebmc launch -n N -- ebmc ARGS` with one thread per process; RunFailed unless it exits 0.
void launch_ebmc(int processes, const std::string& args, const std::string& log) {
  const std::string self = this_executable();
  const std::string command = "OMP_NUM_THREADS=1 '" + self + "' launch -n " +
                              std::to_string(processes) + " -- '" + self + "' " + args + " >'" +
                              log + "' 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw RunFailed("a launched run failed; its output is in " + log, "ebmc bench distributed");
  }
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

/// The `seconds` column of the last row of a training log.
double training_seconds(const std::string& csv) {
  std::ifstream in(csv);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return std::stod(last.substr(last.rfind(',') + 1));
}

/// Seconds spent in collectives, from a trainer's "data-parallel over N processes: X s" line.
double communication_seconds(const std::string& log) {
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    const std::string key = "processes: ";
    const size_t at = line.find(key);
    if (line.rfind("data-parallel over", 0) == 0 && at != std::string::npos) {
      return std::stod(line.substr(at + key.size()));
    }
  }
  return 0.0;
}

/// A data-parallel training configuration: the command for a seed and an output path, where its
/// training log goes, and its iterations.
struct TrainingConfiguration {
  std::string name, description;
  std::function<std::string(const std::string& seed, const std::string& out)> args;
  std::function<std::string(const std::string& out)> log_csv;
  int64_t steps = 0;
};

std::vector<TrainingConfiguration> training_configurations(bool quick) {
  const int64_t flow_steps = quick ? 20 : 200, ebm_steps = quick ? 5 : 50;
  TrainingConfiguration flow{
      "train-flow", "train-flow realnvp (4 blocks, 64 hidden) reverse KL on banana, batch 1024",
      [flow_steps](const std::string& seed, const std::string& out) {
        return "train-flow --target banana --flow realnvp:blocks=4,hidden=64 --batch 1024 "
               "--steps " +
               std::to_string(flow_steps) + " --checkpoint-every 0 --no-progress --seed " + seed +
               " --out " + out + ".pt";
      },
      [](const std::string& out) { return out + ".pt.training.csv"; }, flow_steps};
  TrainingConfiguration ebm{
      "train-ebm", "train-ebm flowmc (preset c2) on rings, batch 1024, 4096 persistent chains",
      [ebm_steps](const std::string& seed, const std::string& out) {
        return "train-ebm --data rings --method flowmc --batch 1024 --persistent 4096 --steps " +
               std::to_string(ebm_steps) +
               " --resolution 20 --checkpoint-every 0 --no-progress --seed " + seed + " --out " +
               out;
      },
      [](const std::string& out) { return out + "/training.csv"; }, ebm_steps};
  return {flow, ebm};
}

}  // namespace

nlohmann::json run_distributed_bench(const BenchOptions& options) {
  const int repeats = static_cast<int>(options.seeds > 0 ? options.seeds : options.quick ? 1 : 3);
  const int64_t chains = options.chains > 0 ? options.chains : 1024;
  const int64_t warmup = options.quick ? 50 : 300, draws = options.quick ? 50 : 300;
  const std::string sample_args = "sample --target icg --sampler hmc:num_steps=10 --chains " +
                                  std::to_string(chains) + " --warmup " + std::to_string(warmup) +
                                  " --draws " + std::to_string(draws) + " --no-progress --seed ";
  const std::vector<TrainingConfiguration> trainings = training_configurations(options.quick);
  const ScratchDir scratch("ebmc-bench-distributed", "ebmc bench distributed");
  nlohmann::json result = {{"experiment", "distributed"}, {"chains", chains}};
  std::printf(
      "== ebmc bench distributed: 1 vs 2 processes on this machine, one thread each, %d "
      "repetitions (mean +- SE)\n",
      repeats);
  std::printf("sampling: icg (d=50), hmc num_steps=10, %lld chains x (%lld warmup + %lld draws)\n",
              static_cast<long long>(chains), static_cast<long long>(warmup),
              static_cast<long long>(draws));
  for (const TrainingConfiguration& t : trainings) {
    std::printf("%s: %s, %lld iterations\n", t.name.c_str(), t.description.c_str(),
                static_cast<long long>(t.steps));
  }
  std::printf("%-10s %-10s %-22s %-22s %-22s %-22s %s\n", "processes", "part", "seconds",
              "throughput", "scaling efficiency", "communication share",
              "wall (start, gather, write)");
  std::vector<double> sample_one;
  std::vector<std::vector<double>> train_one(trainings.size());
  for (int processes : {1, 2}) {
    std::vector<double> sample_s, wall_s;
    std::vector<std::vector<double>> train_s(trainings.size()), comm_share(trainings.size());
    for (int k = 0; k < repeats; ++k) {
      const std::string seed = std::to_string(options.seed + static_cast<uint64_t>(k));
      const std::string run = scratch.path() + "/run" + std::to_string(processes) + "_" + seed;
      const Stopwatch wall;
      launch_ebmc(processes, sample_args + seed + " --out " + run, run + ".log");
      wall_s.push_back(wall.seconds());
      const nlohmann::json summary = read_json_file(run + "/summary.json");
      sample_s.push_back(summary["run"]["warmup_seconds"].get<double>() +
                         summary["run"]["sampling_seconds"].get<double>());
      for (size_t t = 0; t < trainings.size(); ++t) {
        const std::string out = run + "_" + trainings[t].name;
        launch_ebmc(processes, trainings[t].args(seed, out), out + ".log");
        const double seconds = training_seconds(trainings[t].log_csv(out));
        train_s[t].push_back(seconds / static_cast<double>(trainings[t].steps) * 1e3);
        comm_share[t].push_back(communication_seconds(out + ".log") / seconds);
      }
    }
    if (processes == 1) {
      sample_one = sample_s;
      train_one = train_s;
    }
    const double transitions = static_cast<double>(chains * (warmup + draws));
    std::vector<double> throughput, sample_eff;
    for (size_t k = 0; k < sample_s.size(); ++k) {
      throughput.push_back(transitions / sample_s[k]);
      sample_eff.push_back(sample_one[k] / (processes * sample_s[k]));
    }
    std::printf("%-10d %-10s %-22s %-22s %-22s %-22s %s s\n", processes, "sampling",
                mean_se(sample_s).c_str(), (mean_se(throughput) + " tr/s").c_str(),
                mean_se(sample_eff).c_str(), "-", mean_se(wall_s).c_str());
    nlohmann::json run = {{"processes", processes},
                          {"sampling_seconds", sample_s},
                          {"sampling_wall_seconds", wall_s},
                          {"transitions_per_second", throughput},
                          {"sampling_scaling_efficiency", sample_eff}};
    for (size_t t = 0; t < trainings.size(); ++t) {
      std::vector<double> efficiency;
      for (size_t k = 0; k < train_s[t].size(); ++k) {
        efficiency.push_back(train_one[t][k] / (processes * train_s[t][k]));
      }
      std::printf("%-10d %-10s %-22s %-22s %-22s %-22s\n", processes, trainings[t].name.c_str(),
                  (mean_se(train_s[t]) + " ms/it").c_str(), "-", mean_se(efficiency).c_str(),
                  processes > 1 ? mean_se(comm_share[t]).c_str() : "-");
      const std::string key = trainings[t].name == "train-flow" ? "training" : "ebm_training";
      run[key + "_ms_per_iteration"] = train_s[t];
      run[key + "_scaling_efficiency"] = efficiency;
      run[key + "_communication_share"] = comm_share[t];
    }
    result["runs"].push_back(run);
  }
  return result;
}

}  // namespace ebmc::bench
