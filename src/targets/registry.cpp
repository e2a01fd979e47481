#include "ebmc/targets/registry.h"

#include "ebmc/core/errors.h"
#include "ebmc/io/spec.h"
#include "ebmc/targets/gaussian.h"

namespace ebmc {

std::unique_ptr<Target> make_target(const std::string& text) {
  Spec spec = Spec::parse(text, "--target");
  std::unique_ptr<Target> target;
  if (spec.name() == "gaussian") {
    const int64_t d = spec.get_int("d", 2);
    if (d < 1) throw InputError("d must be >= 1", "--target gaussian:d");
    const double mean = spec.get_double("mean", 0.0);
    const double scale = spec.get_double("scale", 1.0);
    target = std::make_unique<DiagonalGaussian>(torch::full({d}, mean, torch::kFloat64),
                                                torch::full({d}, scale, torch::kFloat64));
  } else {
    throw InputError("unknown target '" + spec.name() + "' (see `ebmc list`)", "--target");
  }
  spec.reject_unused();
  return target;
}

std::vector<std::string> target_catalogue() {
  return {"gaussian[:d=2,mean=0,scale=1]  isotropic Gaussian N(mean, scale^2 I) in d dimensions"};
}

}  // namespace ebmc
