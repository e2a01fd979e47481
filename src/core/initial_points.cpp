#include "ebmc/core/initial_points.h"

#include <cstdio>

#include "ebmc/core/errors.h"
#include "ebmc/core/runner.h"

namespace ebmc {

namespace {

/// Rows whose energy or gradient is not finite, [chains] bool.
torch::Tensor unusable_rows(const Target& target, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  const EnergyAndGrad eg = target.energy_and_grad(x);
  return ~(torch::isfinite(eg.energy) & torch::isfinite(eg.grad).all(1));
}

}  // namespace

InitialPoints initial_points(const Target& target, int64_t chains, double radius, Rng& rng,
                             const torch::Tensor& given, int64_t first_chain,
                             int64_t max_attempts) {
  const int64_t dim = target.dim();
  const torch::Tensor free =
      given.defined() ? torch::isnan(given) : torch::ones({chains, dim}, torch::kBool);
  const auto draw = [&] {
    const torch::Tensor x = uniform_inits(chains, dim, radius, rng);
    return given.defined() ? torch::where(free, x, given) : x;
  };
  InitialPoints points{draw(), std::vector<int64_t>(static_cast<size_t>(chains), 1)};
  const torch::Tensor redrawable = free.any(1);
  for (int64_t attempt = 1;; ++attempt) {
    const torch::Tensor bad = unusable_rows(target, points.x);
    if (!bad.any().item<bool>()) return points;
    const torch::Tensor stuck = bad & ~redrawable;
    if (stuck.any().item<bool>() || attempt == max_attempts) {
      const bool fixed = stuck.any().item<bool>();
      const int64_t c = (fixed ? stuck : bad).nonzero()[0][0].item<int64_t>();
      char text[300];
      std::snprintf(text, sizeof text,
                    fixed ? "the initial values given for chain %lld have a non-finite energy or "
                            "gradient"
                          : "chain %lld found no initial point with a finite energy and gradient "
                            "in %lld random draws uniform on (-%g, %g): check the target's "
                            "support, or give initial values (--init)",
                    static_cast<long long>(first_chain + c + 1),
                    static_cast<long long>(max_attempts), radius, radius);
      throw InputError(text, target.name());
    }
    // Every chain draws again (so that a chain's draws never depend on the others); only the
    // unusable ones take the new point.
    const torch::Tensor again = draw();
    points.x = torch::where(bad.unsqueeze(1), again, points.x);
    const torch::Tensor redo = bad.contiguous();
    const bool* retried = redo.data_ptr<bool>();
    for (int64_t k = 0; k < chains; ++k) points.attempts[static_cast<size_t>(k)] += retried[k];
  }
}

}  // namespace ebmc
