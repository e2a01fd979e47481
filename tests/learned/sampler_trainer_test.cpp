// Training, model files and checkpoints: resuming is bit-exact, a loaded kernel samples exactly
// like the saved one, malformed files and foreign targets are refused.

#include "ebmc/learned/sampler_trainer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ebmc/learned/learned_registry.h"
#include "ebmc/targets/registry.h"
#include "test_support.h"

namespace ebmc {
namespace {

std::shared_ptr<LearnedKernel> fresh_kernel(const std::string& spec, const Target& target) {
  Rng rng(41);
  auto kernel = make_learned_kernel(spec, target.dim(), rng);
  kernel->set_trained_for(describe_target("icg:d=4", target));
  return kernel;
}

/// The exponential schedule does not depend on `steps`, so a 5-iteration run is the start of a
/// 10-iteration one.
TrainerOptions small_run(int64_t steps, const std::string& checkpoint = "") {
  return TrainerOptions()
      .steps(steps)
      .batch(16)
      .schedule(Schedule::kExponential)
      .checkpoint_every(5)
      .checkpoint_path(checkpoint);
}

void expect_same_parameters(LearnedKernel& a, LearnedKernel& b) {
  auto pa = a.named_parameters();
  auto pb = b.named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) {
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  }
}

class TrainerResumeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TrainerResumeTest, ResumingFromACheckpointIsBitExact) {
  auto target = make_target("icg:d=4");
  testing::TempDir dir;
  auto straight = fresh_kernel(GetParam(), *target);
  SamplerTrainer(straight, *target, small_run(10), 5).train();

  auto first = fresh_kernel(GetParam(), *target);
  SamplerTrainer interrupted(first, *target, small_run(5, dir.file("ckpt")), 5);
  interrupted.train();  // stops at 5, checkpoint written at 5
  auto second = fresh_kernel(GetParam(), *target);
  SamplerTrainer resumed(second, *target, small_run(10), 5);
  resumed.resume(dir.file("ckpt"));
  EXPECT_EQ(resumed.iteration(), 5);
  resumed.train();
  expect_same_parameters(*straight, *second);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, TrainerResumeTest,
    ::testing::Values("l2hmc:leapfrog=2,hidden=8", "l2hmc:leapfrog=2,hidden=8,adapt_steps=5",
                      "entropy:width=8,steps=1", "entropy:width=8,steps=1,precondition=1"),
    [](const auto& info) {
      const auto has = [&](const char* key) { return info.param.find(key) != std::string::npos; };
      return info.param.substr(0, info.param.find(':')) +
             (has("precondition") ? "_preconditioned" : "") +
             (has("adapt_steps") ? "_adapted" : "");
    });

TEST(ModelFileTest, LoadedKernelSamplesLikeTheSavedOne) {
  for (const char* spec : {"entropy:width=8,steps=2", "entropy:width=8,steps=2,precondition=1"}) {
    SCOPED_TRACE(spec);
    auto target = make_target("icg:d=4");
    testing::TempDir dir;
    auto kernel = fresh_kernel(spec, *target);
    SamplerTrainer(kernel, *target, small_run(5), 5).train();
    save_learned_kernel(dir.file("model.pt"), *kernel);
    auto loaded = load_learned_kernel(dir.file("model.pt"));
    EXPECT_EQ(loaded->name(), "entropy");
    EXPECT_EQ(loaded->trained_for().target_spec, "icg:d=4");
    EXPECT_EQ(loaded->options_json(), kernel->options_json());
    expect_same_parameters(*kernel, *loaded);
    Rng rng_a(3), rng_b(3);
    const torch::Tensor x0 = torch::zeros({4, 4}, torch::kFloat64);
    State a = kernel->init(*target, x0);
    State b = loaded->init(*target, x0);
    for (int i = 0; i < 3; ++i) {
      kernel->step(a, rng_a);
      loaded->step(b, rng_b);
    }
    EXPECT_TRUE(torch::equal(a.x, b.x));
  }
}

TEST(ModelFileTest, RefusesMissingCorruptAndForeignFiles) {
  testing::TempDir dir;
  testing::expect_input_error([&] { load_learned_kernel(dir.file("none.pt")); },
                              "model file not found", dir.file("none.pt"));
  {
    std::ofstream out(dir.file("junk.pt"));
    out << "not a model";
  }
  testing::expect_input_error([&] { load_learned_kernel(dir.file("junk.pt")); },
                              "not an ebmc model file", dir.file("junk.pt"));
  auto target = make_target("icg:d=4");
  auto kernel = fresh_kernel("l2hmc:leapfrog=2", *target);
  save_learned_kernel(dir.file("model.pt"), *kernel);
  auto loaded = load_learned_kernel(dir.file("model.pt"));
  auto wider = make_target("icg:d=5");
  testing::expect_input_error(
      [&] {
        loaded->init(*wider, torch::zeros({2, 5}, torch::kFloat64));
      },
      "trained for target 'icg:d=4'", "--sampler l2hmc:model");
  // A checkpoint of another configuration cannot be resumed.
  auto other = fresh_kernel("l2hmc:leapfrog=3", *target);
  SamplerTrainer trainer(other, *target, small_run(5), 1);
  // The error names the option that differs.
  testing::expect_input_error([&] { trainer.resume(dir.file("model.pt")); },
                              "checkpoint was written with another --sampler l2hmc:leapfrog (2, "
                              "this run 3)",
                              dir.file("model.pt"));
}

TEST(TrainerOptionsTest, RejectsBadOptions) {
  testing::expect_input_error([] { TrainerOptions().steps(0).validate(); }, "steps", "--steps");
  testing::expect_input_error([] { TrainerOptions().anneal_from(0.5).validate(); }, "temperature",
                              "--anneal-from");
  testing::expect_input_error([] { parse_schedule("linear"); }, "schedule", "--schedule");
}

}  // namespace
}  // namespace ebmc
