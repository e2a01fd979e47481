#include "ebmc/samplers/registry.h"

#include "ebmc/core/errors.h"
#include "ebmc/io/spec.h"
#include "ebmc/learned/learned_registry.h"
#include "ebmc/samplers/hmc.h"
#include "ebmc/samplers/mala.h"
#include "ebmc/samplers/nuts.h"
#include "ebmc/samplers/rwm.h"
#include "ebmc/samplers/ula.h"

namespace ebmc {

namespace {

/// Reads the adaptation options shared by MALA, HMC and NUTS: adapt=0|1, target_accept,
/// metric=diag|unit.
std::optional<AdaptationOptions> read_adaptation(Spec& spec, double default_accept) {
  if (spec.get_int("adapt", 1) == 0) return std::nullopt;
  AdaptationOptions options;
  options.step_size().target_accept(spec.get_double("target_accept", default_accept));
  const std::string metric = spec.get_string("metric", "diag");
  if (metric != "diag" && metric != "unit") {
    throw InputError("metric must be diag or unit", "--sampler " + spec.name() + ":metric");
  }
  options.adapt_metric(metric == "diag");
  options.validate();
  return options;
}

}  // namespace

SamplerSetup make_sampler(const std::string& text) {
  Spec spec = Spec::parse(text, "--sampler");
  const std::string& name = spec.name();
  SamplerSetup setup;
  if (name == "rwm") {
    RwmOptions options;
    options.step_size(spec.get_double("step_size", options.step_size()));
    setup.kernel = std::make_unique<RandomWalkMetropolis>(options);
  } else if (name == "ula") {
    UlaOptions options;
    options.step_size(spec.get_double("step_size", options.step_size()));
    setup.kernel = std::make_unique<Ula>(options);
  } else if (name == "mala") {
    MalaOptions options;
    options.step_size(spec.get_double("step_size", options.step_size()));
    setup.kernel = std::make_unique<Mala>(options);
    setup.adaptation = read_adaptation(spec, 0.574);
  } else if (name == "hmc") {
    HmcOptions options;
    options.step_size(spec.get_double("step_size", options.step_size()))
        .num_steps(spec.get_int("num_steps", options.num_steps()))
        .jitter(spec.get_double("jitter", options.jitter()))
        .max_delta_h(spec.get_double("max_delta_h", options.max_delta_h()));
    setup.kernel = std::make_unique<Hmc>(options);
    setup.adaptation = read_adaptation(spec, 0.8);
  } else if (name == "nuts") {
    NutsOptions options;
    options.step_size(spec.get_double("step_size", options.step_size()))
        .max_depth(spec.get_int("max_depth", options.max_depth()))
        .max_delta_h(spec.get_double("max_delta_h", options.max_delta_h()));
    setup.kernel = std::make_unique<Nuts>(options);
    setup.adaptation = read_adaptation(spec, 0.8);
  } else if (is_learned_sampler(name)) {
    const std::string model = spec.get_string("model", "");
    if (model.empty()) {
      throw InputError("needs model=PATH, a model file written by `ebmc train-sampler`",
                       "--sampler " + name);
    }
    setup.kernel = load_learned_kernel(model);
    if (setup.kernel->name() != name) {
      throw InputError("model file holds a " + setup.kernel->name() + " kernel, not " + name,
                       model);
    }
  } else {
    throw InputError("unknown sampler '" + name + "' (see `ebmc list`)", "--sampler");
  }
  spec.reject_unused();
  return setup;
}

std::vector<std::string> sampler_catalogue() {
  std::vector<std::string> lines = {
      "rwm[:step_size=0.5]  random-walk Metropolis",
      "ula[:step_size=0.05]  unadjusted Langevin (biased, never rejects)",
      "mala[:step_size=0.1,adapt=1,target_accept=0.574,metric=diag|unit]  Metropolis-adjusted "
      "Langevin",
      "hmc[:step_size=0.1,num_steps=10,jitter=0,max_delta_h=1000,adapt=1,target_accept=0.8,"
      "metric=diag|unit]  Hamiltonian Monte Carlo",
      "nuts[:step_size=0.1,max_depth=10,max_delta_h=1000,adapt=1,target_accept=0.8,"
      "metric=diag|unit]  No-U-Turn sampler (Stan's multinomial NUTS)",
      "With adapt=1 (default) warmup tunes the step size by dual averaging and, with metric=diag, "
      "a diagonal metric in Stan's windows (75 / 25 doubling / 50).",
  };
  for (const std::string& line : learned_sampler_catalogue()) lines.push_back(line);
  return lines;
}

}  // namespace ebmc
