#include "ebmc/samplers/sample.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "ebmc/core/errors.h"
#include "ebmc/core/fused_path.h"
#include "ebmc/core/initial_points.h"
#include "ebmc/discrete/moves.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

Monitor hamming_and_energy_monitor(const DiscreteTarget& target, torch::Tensor reference) {
  return [&target, reference = std::move(reference)](const State& state) {
    if (target.categorical() || !is_cpu_float64(state.x) || !is_cpu_float64(state.energy) ||
        !is_cpu_float64(reference)) {
      return torch::stack(
          {hamming_distance(target, state.x, reference.expand_as(state.x)), state.energy}, 1);
    }
    // Binary float64 states (0/1, checked at init): one pass in plain memory, what the stacked
    // tensor ops compute.
    const int64_t chains = state.x.size(0), sites = state.x.size(1);
    torch::Tensor out = torch::empty({chains, 2}, torch::kFloat64);
    const double* x = state.x.data_ptr<double>();
    const double* ref = reference.data_ptr<double>();
    const double* energy = state.energy.data_ptr<double>();
    double* o = out.data_ptr<double>();
    for (int64_t c = 0; c < chains; ++c) {
      int64_t differ = 0;
      for (int64_t j = 0; j < sites; ++j) differ += (x[c * sites + j] > 0.5) != (ref[j] > 0.5);
      o[2 * c] = static_cast<double>(differ);
      o[2 * c + 1] = energy[c];
    }
    return out;
  };
}

RunResult run_discrete_sampler(DiscreteKernel& kernel, const DiscreteTarget& target, int64_t chains,
                               Rng& rng, const RunOptions& options,
                               const std::vector<RunCallback*>& callbacks) {
  // The reference state has a stream of its own (depends on the seed only, as every chain).
  Rng reference_rng(rng.seed() ^ 0x9E3779B97F4A7C15ull);
  const torch::Tensor reference = target.random_states(1, reference_rng);
  State initial = kernel.init(target, target.random_states(chains, rng));
  return run_chains(kernel, std::move(initial), rng, options, callbacks,
                    hamming_and_energy_monitor(target, reference));
}

namespace {

/// Bytes of memory available to this process (MemAvailable), or 0 when unknown.
double available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024.0;
  }
  return 0;
}

/// Refuses runs whose sizes overflow or that cannot fit in memory, before any work: draws × thin
/// transitions; draws × chains × statistics doubles, and one column of draws (for the summary).
/// Returns true when the draws themselves are to be streamed rather than kept: requested, or
/// more than half of the available memory.
bool check_run_size(const SampleRequest& r, int64_t columns) {
  constexpr int64_t kMaxChains = 1 << 24;
  if (r.chains > kMaxChains) {
    throw InputError("chains must be <= " + std::to_string(kMaxChains), "--chains");
  }
  if (r.run.draws() > std::numeric_limits<int64_t>::max() / r.run.thin()) {
    throw InputError("draws x thin overflows a 64-bit count of transitions", "--thin");
  }
  // The statistics (at most 8 per draw) are always held in memory, and summaries need one
  // column of draws at a time; the draws themselves are streamed when they would not fit.
  const double per_column =
      8.0 * static_cast<double>(r.run.draws()) * static_cast<double>(r.chains);
  const double draws_bytes = per_column * static_cast<double>(columns);
  const double needed = per_column * (8.0 + 1.0);
  const double available = available_memory_bytes();
  if (available > 0 && needed > 0.8 * available) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "the run would need %.3g GiB (draws x chains x 9 numbers), more than the %.3g "
                  "GiB of memory available; lower --draws or --chains, or thin",
                  needed / 1073741824.0, available / 1073741824.0);
    throw InputError(text, "--draws");
  }
  return r.stream_draws || (available > 0 && draws_bytes + needed > 0.5 * available);
}

}  // namespace

void apply_init_file(const std::string& path, const std::vector<std::string>& names,
                     torch::Tensor& x0) {
  std::ifstream in(path);
  if (!in) throw InputError("init file not found", path);
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw InputError("not a JSON file", path);
  }
  const int64_t chains = x0.size(0);
  if (json.is_array() && static_cast<int64_t>(json.size()) != chains) {
    throw InputError("holds " + std::to_string(json.size()) + " objects for " +
                         std::to_string(chains) + " chains (give one per chain, or one object)",
                     path);
  }
  for (int64_t c = 0; c < chains; ++c) {
    const nlohmann::json& values = json.is_array() ? json[c] : json;
    if (!values.is_object()) {
      throw InputError("expected an object {\"name\": value, ...} per chain", path);
    }
    for (const auto& [name, value] : values.items()) {
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        throw InputError("unknown parameter '" + name + "' (the target's are " + names.front() +
                             " ... " + names.back() + ")",
                         path);
      }
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        throw InputError("initial value of " + name + " must be a finite number", path);
      }
      x0[c][it - names.begin()] = value.get<double>();
    }
  }
}

/// Exactly one of the two pairs is set.
struct SampleJob::Components {
  std::unique_ptr<Target> target;
  Sampler sampler;
  std::optional<Tuning> tuning;
  /// Initial values from `--init` [chains, dim], NaN where the file gives none.
  torch::Tensor init_values;
  std::unique_ptr<DiscreteTarget> discrete_target;
  std::unique_ptr<DiscreteKernel> discrete_kernel;
};

std::shared_ptr<Kernel> SampleJob::kernel() const { return components_->sampler.kernel; }

SampleJob::SampleJob(SampleRequest request)
    : request_(std::move(request)), components_(std::make_unique<Components>()) {
  if (request_.chains < 1) throw InputError("chains must be >= 1", "--chains");
  const int64_t all_chains = request_.chains;
  const int64_t slice_count =
      request_.slice.count < 0 ? all_chains - request_.slice.first : request_.slice.count;
  if (request_.slice.first < 0 || slice_count < 1 ||
      request_.slice.first + slice_count > all_chains) {
    throw InputError("chain slice " + std::to_string(request_.slice.first) + "+" +
                         std::to_string(slice_count) + " is not within the " +
                         std::to_string(all_chains) + " chains",
                     "--chains");
  }
  if (!(request_.init_radius >= 0)) throw InputError("init radius must be >= 0", "--init-radius");
  request_.run.validate();
  Components& c = *components_;
  const bool discrete = is_registered_discrete_target(request_.target);
  if (request_.sampler.empty()) request_.sampler = discrete ? "gwg" : "nuts";
  if (discrete) {
    c.discrete_target = make_discrete_target(request_.target);
    if (!is_registered_discrete_sampler(request_.sampler)) {
      throw InputError("sampler '" + request_.sampler + "' cannot sample a discrete target",
                       "--sampler");
    }
    if (!request_.tuning_file.empty()) {
      throw InputError("discrete samplers have no step size or metric to set", "--tuning");
    }
    if (!request_.init_file.empty()) {
      throw InputError("discrete runs start from uniformly random states", "--init");
    }
    c.discrete_kernel = make_discrete_sampler(request_.sampler);
    names_ = {"hamming", "energy"};
    select_slice(slice_count);
    request_.run.keep_draws(!check_run_size(request_, 2));
    return;
  }
  c.target = make_target(request_.target);
  if (is_registered_discrete_sampler(request_.sampler)) {
    throw InputError("sampler '" + request_.sampler + "' needs a discrete target", "--sampler");
  }
  c.sampler = make_sampler(request_.sampler);
  if (!request_.tuning_file.empty()) {
    c.tuning = read_tuning_file(request_.tuning_file, all_chains, c.target->dim());
  }
  names_ = c.target->parameter_names();
  if (!request_.init_file.empty()) {
    // Read and checked once, now, before any long work; `run` overlays it on the uniform inits.
    c.init_values = torch::full({all_chains, c.target->dim()}, std::nan(""), torch::kFloat64);
    apply_init_file(request_.init_file, names_, c.init_values);
  }
  select_slice(slice_count);
  request_.run.keep_draws(!check_run_size(request_, c.target->dim()));
}

void SampleJob::select_slice(int64_t count) {
  const int64_t first = request_.slice.first;
  if (first == 0 && count == request_.chains) return;
  Components& c = *components_;
  if (c.tuning) {
    c.tuning->step_size = c.tuning->step_size.narrow(0, first, count);
    if (c.tuning->inverse_metric.size(0) > 1) {
      c.tuning->inverse_metric = c.tuning->inverse_metric.narrow(0, first, count);
    }
  }
  if (c.init_values.defined()) c.init_values = c.init_values.narrow(0, first, count);
  request_.chains = count;
  request_.run.first_chain(request_.run.first_chain() + first);
  request_.slice = ChainSlice{0, count};
}

SampleJob::~SampleJob() = default;

bool SampleJob::discrete() const { return components_->discrete_kernel != nullptr; }

std::vector<std::string> SampleJob::stat_names() const {
  return run_stat_names(components_->discrete_kernel
                            ? static_cast<const TransitionKernel&>(*components_->discrete_kernel)
                            : *components_->sampler.kernel);
}

RunResult SampleJob::run(const std::vector<RunCallback*>& callbacks) {
  Components& c = *components_;
  Rng rng(request_.seed,
          ChainStreams{static_cast<uint64_t>(request_.run.first_chain()), request_.chains});
  if (c.discrete_kernel) {
    return run_discrete_sampler(*c.discrete_kernel, *c.discrete_target, request_.chains, rng,
                                request_.run, callbacks);
  }
  InitialPoints x0 = initial_points(*c.target, request_.chains, request_.init_radius, rng,
                                    c.init_values, request_.run.first_chain());
  initial_attempts_ = std::move(x0.attempts);
  return run_sampler(c.sampler, *c.target, x0.x, rng, request_.run, callbacks, c.tuning);
}

}  // namespace ebmc
