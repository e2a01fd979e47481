#include "ebmc/samplers/discrete_registry.h"

#include "ebmc/core/errors.h"
#include "ebmc/io/spec.h"
#include "ebmc/samplers/gibbs.h"
#include "ebmc/samplers/gwg.h"
#include "ebmc/samplers/hamming_ball.h"
#include "ebmc/samplers/rbm_block_gibbs.h"

namespace ebmc {

namespace {

bool get_flag(Spec& spec, const std::string& key) {
  const int64_t value = spec.get_int(key, 0);
  if (value != 0 && value != 1) {
    throw InputError(key + " must be 0 or 1", "--sampler " + spec.name() + ":" + key);
  }
  return value == 1;
}

}  // namespace

bool is_discrete_sampler(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  return name == "gibbs" || name == "gwg" || name == "lb" || name == "hb" || name == "rbm_gibbs";
}

std::unique_ptr<DiscreteKernel> make_discrete_sampler(const std::string& text) {
  Spec spec = Spec::parse(text, "--sampler");
  const std::string& name = spec.name();
  std::unique_ptr<DiscreteKernel> kernel;
  if (name == "gibbs") {
    const int64_t block = spec.get_int("block", 1);
    kernel = std::make_unique<Gibbs>(GibbsOptions().block(block).sweep(get_flag(spec, "sweep")));
  } else if (name == "gwg" || name == "lb") {
    kernel = std::make_unique<GibbsWithGradients>(
        GwgOptions().flips(spec.get_int("flips", 1)).exact(name == "lb"));
  } else if (name == "hb") {
    const int64_t block = spec.get_int("block", 10);
    const int64_t radius = spec.get_int("radius", 1);
    kernel = std::make_unique<HammingBall>(
        HammingBallOptions().block(block).radius(radius).aligned(get_flag(spec, "aligned")));
  } else if (name == "rbm_gibbs") {
    kernel = std::make_unique<RbmBlockGibbs>();
  } else {
    throw InputError("unknown discrete sampler '" + name + "' (see `ebmc list`)", "--sampler");
  }
  spec.reject_unused();
  return kernel;
}

std::vector<std::string> discrete_sampler_catalogue() {
  return {
      "gibbs[:block=1,sweep=0]            Gibbs: single-site (random scan, or sweep=1) or block "
      "of b sites enumerating K^b values",
      "gwg[:flips=1]                      Gibbs-With-Gradients; flips=N draws N moves (GWG-N, "
      "binary)",
      "lb[:flips=1]                       locally-balanced proposal q2 with exact local "
      "differences (what GWG approximates)",
      "hb[:block=10,radius=1,aligned=0]   Hamming-ball sampler HB-b-r (aligned=1: blocks of "
      "consecutive sites, e.g. FHMM time steps)",
      "rbm_gibbs                          block Gibbs for RBMs (h | x, then x | h)",
  };
}

}  // namespace ebmc
