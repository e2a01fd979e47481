#include "ebmc/learned/training_defaults.h"

#include <sstream>

namespace ebmc {

SamplerTrainingDefaults sampler_training_defaults(const std::string& target_name) {
  SamplerTrainingDefaults defaults;
  if (target_name == "mog") {
    defaults.steps = 500;
    defaults.learning_rate = 1e-2;
    defaults.anneal_from = 32.0;
    defaults.l2hmc_options = "burn_in=0,hmc_steps=10";
  } else if (target_name == "scg") {
    defaults.l2hmc_options = "leapfrog=3,precondition=1,fit_factor=1,jitter=0.5,jump=scaled";
  }
  return defaults;
}

TrainerOptions default_trainer_options(const SamplerTrainingDefaults& defaults,
                                       const LearnedKernel& kernel) {
  return TrainerOptions()
      .steps(defaults.steps)
      .batch(defaults.batch)
      .learning_rate(defaults.learning_rate)
      .anneal_from(defaults.anneal_from)
      .schedule(kernel.default_schedule())
      .clip_norm(kernel.default_clip_norm());
}

std::string sampler_spec_with_defaults(const std::string& spec, const std::string& kernel_name,
                                       const SamplerTrainingDefaults& defaults) {
  if (kernel_name != "l2hmc") return spec;
  return with_default_options(spec, defaults.l2hmc_options);
}

std::string with_default_options(const std::string& spec, const std::string& options) {
  const size_t colon = spec.find(':');
  const std::string given = colon == std::string::npos ? "" : spec.substr(colon + 1);
  std::string result = spec;
  std::istringstream pairs(options);
  std::string pair;
  while (std::getline(pairs, pair, ',')) {
    const std::string key = pair.substr(0, pair.find('='));
    const std::string padded = "," + given + ",";
    if (pair.empty() || padded.find("," + key + "=") != std::string::npos) continue;
    result += (result.find(':') == std::string::npos ? ":" : ",") + pair;
  }
  return result;
}

}  // namespace ebmc
