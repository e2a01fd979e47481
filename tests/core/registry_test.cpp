// The registry is the one source of truth: every registered component documents its options,
// builds from its documented defaults, runs, has a test of its own, and the README's component
// tables are what the registry prints.

#include "ebmc/core/registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "ebmc/discrete/registry.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/samplers/registry.h"
#include "ebmc/samplers/sample.h"
#include "ebmc/targets/gaussian.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

/// `name:key=default,…` with every documented option at its documented default.
std::string spec_with_defaults(const ComponentInfo& info) {
  std::string spec = info.name;
  for (size_t i = 0; i < info.options.size(); ++i) {
    spec += (i == 0 ? ":" : ",") + info.options[i].name + "=" + info.options[i].default_value;
  }
  return spec;
}

/// A component that cannot be built without some option (its factory says "needs …").
bool has_required_option(const ComponentInfo& info) {
  try {
    make_target(info.name);
    return false;
  } catch (const InputError& e) {
    return std::string(e.what()).find("needs ") == 0;
  }
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(RegistryTest, EveryComponentIsDocumented) {
  int count = 0;
  for (ComponentKind kind : all_component_kinds()) {
    EXPECT_FALSE(components(kind).empty()) << kind_label(kind);
    for (const ComponentInfo& info : components(kind)) {
      ++count;
      SCOPED_TRACE(info.name);
      EXPECT_TRUE(std::regex_match(info.name, std::regex("[a-z][a-z0-9_]*")));
      EXPECT_FALSE(info.summary.empty());
      for (const OptionDoc& option : info.options) {
        EXPECT_TRUE(std::regex_match(option.name, std::regex("[a-z][a-z0-9_]*"))) << option.name;
        EXPECT_GT(option.doc.size(), 3u) << option.name << " has no doc";
        EXPECT_FALSE(option.type.empty()) << option.name;
      }
    }
  }
  EXPECT_GE(count, 30);
}

TEST(RegistryTest, EveryComponentHasATest) {
  // A component is tested when some test source uses it by name in a spec string.
  std::string sources;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(EBMC_TESTS_DIR)) {
    if (entry.path().extension() == ".cpp" && entry.path().filename() != "registry_test.cpp") {
      sources += slurp(entry.path());
    }
  }
  for (ComponentKind kind : all_component_kinds()) {
    for (const ComponentInfo& info : components(kind)) {
      const bool used = sources.find("\"" + info.name + "\"") != std::string::npos ||
                        sources.find("\"" + info.name + ":") != std::string::npos;
      EXPECT_TRUE(used) << kind_label(kind) << " '" << info.name
                        << "' is registered but no test under tests/ uses it";
    }
  }
}

TEST(RegistryTest, DuplicatesAndUnknownNamesAreRefused) {
  EXPECT_THROW(add_component_info({"rwm", ComponentKind::kSampler, "again", {}, {}}),
               std::logic_error);
  testing::expect_input_error([] { make_sampler("nope:x=1"); }, "unknown sampler 'nope'",
                              "--sampler");
  testing::expect_input_error([] { make_target("icg:dim=3"); }, "unknown option 'dim'",
                              "--target icg:dim");
  testing::expect_input_error([] { make_sampler("hmc:num_steps=0"); }, "num_steps must be",
                              "--sampler hmc:num_steps");
  testing::expect_input_error([] { make_discrete_sampler("gibbs:sweep=2"); }, "0 or 1",
                              "--sampler gibbs:sweep");
  testing::expect_input_error([] { make_sampler("nuts:metric=dense"); }, "diag|unit",
                              "--sampler nuts:metric");
}

TEST(RegistryTest, EveryContinuousTargetBuildsFromItsDocumentedDefaults) {
  for (const ComponentInfo& info : components(ComponentKind::kTarget)) {
    SCOPED_TRACE(info.name);
    if (has_required_option(info)) continue;  // e.g. torchscript:path=FILE, tested on its own
    std::unique_ptr<Target> from_defaults = make_target(spec_with_defaults(info));
    std::unique_ptr<Target> plain = make_target(info.name);
    ASSERT_EQ(from_defaults->dim(), plain->dim());
    Rng rng(1);
    const torch::Tensor x = 0.3 * rng.normal({3, plain->dim()});
    EXPECT_TRUE(torch::equal(from_defaults->energy(x), plain->energy(x)));
    EXPECT_EQ(static_cast<int64_t>(plain->parameter_names().size()), plain->dim());
  }
}

TEST(RegistryTest, EveryDiscreteTargetBuildsFromItsDocumentedDefaults) {
  for (const ComponentInfo& info : components(ComponentKind::kDiscreteTarget)) {
    SCOPED_TRACE(info.name);
    if (info.name == "torchscript") continue;  // needs path=FILE; tests/models tests it
    if (info.name == "discrete_ebm") continue;  // needs model=FILE; tests/ebm tests it
    std::unique_ptr<DiscreteTarget> from_defaults = make_discrete_target(spec_with_defaults(info));
    std::unique_ptr<DiscreteTarget> plain = make_discrete_target(info.name);
    Rng rng(1);
    const torch::Tensor x = plain->random_states(3, rng);
    EXPECT_TRUE(torch::equal(from_defaults->log_prob(x), plain->log_prob(x)));
  }
}

TEST(RegistryTest, EveryContinuousSamplerRunsAndReportsNamedStatistics) {
  const DiagonalGaussian target = DiagonalGaussian::standard(3);
  for (const ComponentInfo& info : components(ComponentKind::kSampler)) {
    SCOPED_TRACE(info.name);
    Sampler sampler = make_sampler(spec_with_defaults(info));
    Rng rng(2);
    RunResult run = run_sampler(sampler, target, uniform_inits(3, 3, 2.0, rng), rng,
                                RunOptions().warmup(30).draws(20));
    EXPECT_TRUE(torch::isfinite(run.draws).all().item<bool>());
    ASSERT_GE(run.stat_names.size(), 2u);
    EXPECT_EQ(run.stat_names[0], "lp__");
    EXPECT_EQ(run.stat_names[1], "accept_stat__");
    for (const std::string& name : run.stat_names) {
      EXPECT_TRUE(std::regex_match(name, std::regex("[a-z_]+__"))) << name;
    }
    EXPECT_EQ(run.stats.sizes(), (std::vector<int64_t>{20, 3, (int64_t)run.stat_names.size()}));
    // lp__ is −U at the recorded draw.
    const torch::Tensor last = run.draws[19];
    EXPECT_TRUE(torch::allclose(run.stats[19].select(1, 0), -target.energy(last)));
    // A kernel with a tuning after warmup can be given it back (and one without refuses).
    if (run.tuning) {
      Sampler again = make_sampler(spec_with_defaults(info));
      Rng rng2(2);
      RunResult reused = run_sampler(again, target, uniform_inits(3, 3, 2.0, rng2), rng2,
                                     RunOptions().warmup(0).draws(5), {}, run.tuning);
      EXPECT_TRUE(torch::equal(reused.tuning->step_size, run.tuning->step_size));
    }
  }
}

TEST(RegistryTest, EveryDiscreteSamplerRunsAndReportsFlips) {
  std::unique_ptr<DiscreteTarget> ising = make_discrete_target("ising:n=4,theta=0.2");
  std::unique_ptr<DiscreteTarget> rbm = make_discrete_target("rbm:visible=6,hidden=3");
  for (const ComponentInfo& info : components(ComponentKind::kDiscreteSampler)) {
    SCOPED_TRACE(info.name);
    std::unique_ptr<DiscreteKernel> kernel = make_discrete_sampler(info.name);
    const DiscreteTarget& target = info.name == "rbm_gibbs" ? *rbm : *ising;
    Rng rng(3);
    RunResult run = run_discrete_sampler(*kernel, target, 4, rng, RunOptions().warmup(5).draws(20));
    EXPECT_EQ(run.stat_names.back(), "flips__");
    EXPECT_GT(run.sampling_total("flips__"), 0.0);
    EXPECT_EQ(run.draws.size(2), 2);  // Hamming distance and energy
  }
}

TEST(RegistryTest, ReadmeTablesAreWhatTheRegistryPrints) {
  const std::string readme = slurp(std::filesystem::path(EBMC_TESTS_DIR) / ".." / "README.md");
  for (ComponentKind kind : all_component_kinds()) {
    const std::string open = "<!-- registry:" + kind_key(kind) + " -->\n";
    const size_t start = readme.find(open);
    ASSERT_NE(start, std::string::npos) << "README has no table for " << kind_label(kind);
    const size_t end = readme.find("<!-- /registry -->", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(readme.substr(start + open.size(), end - start - open.size()),
              components_to_markdown(kind))
        << "README's " << kind_label(kind) << " table is stale: run tools/update_readme_tables.sh";
  }
}

}  // namespace
}  // namespace ebmc
