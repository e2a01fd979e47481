#include "ebmc/samplers/run_sampler.h"

#include <memory>

#include "ebmc/samplers/warmup_adaptation.h"

namespace ebmc {

RunResult run_sampler(SamplerSetup& setup, const Target& target, const torch::Tensor& x0, Rng& rng,
                      const RunOptions& options, const std::vector<RunCallback*>& callbacks) {
  std::vector<RunCallback*> all;
  std::unique_ptr<WarmupAdaptation> adaptation;
  if (setup.adaptation) {
    adaptation = std::make_unique<WarmupAdaptation>(dynamic_cast<TunableKernel&>(*setup.kernel),
                                                    rng, *setup.adaptation);
    all.push_back(adaptation.get());
  }
  all.insert(all.end(), callbacks.begin(), callbacks.end());
  return run_chains(*setup.kernel, target, x0, rng, options, all);
}

torch::Tensor uniform_inits(int64_t chains, int64_t dim, double radius, Rng& rng) {
  return (2.0 * rng.uniform({chains, dim}) - 1.0) * radius;
}

}  // namespace ebmc
