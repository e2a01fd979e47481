#include "ebmc/discrete/registry.h"

#include "ebmc/core/errors.h"
#include "ebmc/discrete/fhmm.h"
#include "ebmc/discrete/ising.h"
#include "ebmc/discrete/potts.h"
#include "ebmc/discrete/rbm.h"
#include "ebmc/io/spec.h"

namespace ebmc {

namespace {

int64_t positive(Spec& spec, const std::string& key, int64_t fallback) {
  const int64_t value = spec.get_int(key, fallback);
  if (value < 1) throw InputError(key + " must be >= 1", "--target " + spec.name() + ":" + key);
  return value;
}

uint64_t model_seed(Spec& spec) { return static_cast<uint64_t>(spec.get_int("seed", 0)); }

}  // namespace

bool is_discrete_target(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  return name == "ising" || name == "ising_er" || name == "potts" || name == "rbm" ||
         name == "fhmm";
}

std::unique_ptr<DiscreteTarget> make_discrete_target(const std::string& text) {
  Spec spec = Spec::parse(text, "--target");
  const std::string& name = spec.name();
  std::unique_ptr<DiscreteTarget> target;
  if (name == "ising") {
    const int64_t n = positive(spec, "n", 10);
    const int64_t cols = positive(spec, "cols", n);
    const double theta = spec.get_double("theta", 0.25);
    target = std::make_unique<IsingModel>(
        IsingModel::lattice(n, cols, theta, spec.get_double("bias", 0.0)));
  } else if (name == "ising_er") {
    const int64_t n = positive(spec, "n", 200);
    const double degree = spec.get_double("degree", 4.0);
    Rng rng(model_seed(spec));
    target = std::make_unique<IsingModel>(IsingModel::erdos_renyi(n, degree, rng));
  } else if (name == "potts") {
    const int64_t n = positive(spec, "n", 10);
    const int64_t cols = positive(spec, "cols", n);
    target = std::make_unique<PottsModel>(
        PottsModel::lattice(n, cols, spec.get_int("k", 3), spec.get_double("theta", 0.5)));
  } else if (name == "rbm") {
    const std::string file = spec.get_string("file", "");
    if (!file.empty()) {
      target = std::make_unique<Rbm>(Rbm::load(file));
    } else {
      const int64_t visible = positive(spec, "visible", 100);
      const int64_t hidden = positive(spec, "hidden", 25);
      Rng rng(model_seed(spec));
      target = std::make_unique<Rbm>(Rbm::random(visible, hidden, rng));
    }
  } else if (name == "fhmm") {
    const int64_t length = positive(spec, "length", 1000);
    const int64_t factors = positive(spec, "factors", 10);
    Rng rng(model_seed(spec));
    target = std::make_unique<Fhmm>(Fhmm::random(length, factors, rng));
  } else {
    throw InputError("unknown discrete target '" + name + "' (see `ebmc list`)", "--target");
  }
  spec.reject_unused();
  return target;
}

std::vector<std::string> discrete_target_catalogue() {
  return {
      "ising[:n=10,cols=n,theta=0.25,bias=0]  periodic-lattice Ising, f = theta s'As + bias 1's, "
      "s = 2x-1",
      "ising_er[:n=200,degree=4,seed=0]   Erdos-Renyi Ising, edge weights N(0, 1/4)",
      "potts[:n=10,cols=n,k=3,theta=0.5]  periodic-lattice Potts, +theta per agreeing edge",
      "rbm[:visible=100,hidden=25,seed=0|file=PATH]  binary RBM, hidden units summed out; "
      "random W ~ N(0, 0.05^2), b, c ~ N(0, 1), or JSON {W, b, c}",
      "fhmm[:length=1000,factors=10,seed=0]  factorial-HMM posterior p(x | y), data drawn from "
      "the model",
  };
}

}  // namespace ebmc
