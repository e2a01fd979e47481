#include "ebmc/samplers/registry.h"

#include "ebmc/core/errors.h"
#include "ebmc/io/spec.h"
#include "ebmc/samplers/rwm.h"

namespace ebmc {

std::unique_ptr<Kernel> make_kernel(const std::string& text) {
  Spec spec = Spec::parse(text, "--sampler");
  std::unique_ptr<Kernel> kernel;
  if (spec.name() == "rwm") {
    RwmOptions options;
    options.step_size(spec.get_double("step_size", options.step_size()));
    kernel = std::make_unique<RandomWalkMetropolis>(options);
  } else {
    throw InputError("unknown sampler '" + spec.name() + "' (see `ebmc list`)", "--sampler");
  }
  spec.reject_unused();
  return kernel;
}

std::vector<std::string> sampler_catalogue() {
  return {"rwm[:step_size=0.5]  random-walk Metropolis with an isotropic Gaussian proposal"};
}

}  // namespace ebmc
