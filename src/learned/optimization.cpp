#include "ebmc/learned/optimization.h"

#include <algorithm>
#include <cmath>

#include "ebmc/core/errors.h"

namespace ebmc {

Schedule parse_schedule(const std::string& text, const std::string& where) {
  if (text == "cosine") return Schedule::kCosine;
  if (text == "exponential") return Schedule::kExponential;
  if (text == "constant") return Schedule::kConstant;
  throw InputError("schedule must be cosine, exponential or constant, got '" + text + "'", where);
}

std::string schedule_name(Schedule schedule) {
  switch (schedule) {
    case Schedule::kCosine:
      return "cosine";
    case Schedule::kExponential:
      return "exponential";
    case Schedule::kConstant:
      break;
  }
  return "constant";
}

double scheduled_learning_rate(Schedule schedule, double learning_rate, double min_learning_rate,
                               int64_t iteration, int64_t steps) {
  switch (schedule) {
    case Schedule::kConstant:
      return learning_rate;
    case Schedule::kExponential:
      return std::max(min_learning_rate,
                      learning_rate * std::pow(0.96, static_cast<double>(iteration) / 1000.0));
    case Schedule::kCosine:
      break;
  }
  const double progress = static_cast<double>(iteration) / static_cast<double>(steps);
  return min_learning_rate +
         0.5 * (learning_rate - min_learning_rate) * (1.0 + std::cos(M_PI * progress));
}

void set_learning_rate(torch::optim::Adam& optimizer, double learning_rate) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);
  }
}

bool step_if_finite(torch::optim::Optimizer& optimizer,
                    const std::vector<torch::Tensor>& parameters, double loss, double clip_norm) {
  if (!std::isfinite(loss)) return false;
  for (const torch::Tensor& p : parameters) {
    if (p.grad().defined() && !torch::isfinite(p.grad()).all().item<bool>()) return false;
  }
  if (clip_norm > 0) torch::nn::utils::clip_grad_norm_(parameters, clip_norm);
  optimizer.step();
  return true;
}

void write_trainer_state(torch::serialize::OutputArchive& archive,
                         torch::optim::Optimizer& optimizer, Rng& rng, int64_t iteration,
                         int64_t skipped) {
  torch::serialize::OutputArchive state;
  optimizer.save(state);
  archive.write("optimizer", state);
  archive.write("rng", rng.generator().get_state());
  archive.write("iteration", torch::tensor({iteration, skipped}, torch::kInt64));
}

void read_trainer_state(torch::serialize::InputArchive& archive, torch::optim::Optimizer& optimizer,
                        Rng& rng, int64_t& iteration, int64_t& skipped) {
  torch::serialize::InputArchive state;
  archive.read("optimizer", state);
  optimizer.load(state);
  torch::Tensor rng_state, counts;
  archive.read("rng", rng_state);
  archive.read("iteration", counts);
  rng.generator().set_state(rng_state);
  iteration = counts[0].item<int64_t>();
  skipped = counts[1].item<int64_t>();
}

void write_module_and_optimizer(torch::serialize::OutputArchive& archive, const std::string& key,
                                torch::nn::Module& module, torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive module_archive, optimizer_archive;
  module.save(module_archive);
  optimizer.save(optimizer_archive);
  archive.write(key, module_archive);
  archive.write(key + "_optimizer", optimizer_archive);
}

void read_module_and_optimizer(torch::serialize::InputArchive& archive, const std::string& key,
                               torch::nn::Module& module, torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive module_archive, optimizer_archive;
  archive.read(key, module_archive);
  module.load(module_archive);
  archive.read(key + "_optimizer", optimizer_archive);
  optimizer.load(optimizer_archive);
}

}  // namespace ebmc
