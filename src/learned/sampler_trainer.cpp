#include "ebmc/learned/sampler_trainer.h"

#include <cmath>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/learned/learned_registry.h"
#include "ebmc/learned/tempered_target.h"

namespace ebmc {

void TrainerOptions::validate() const {
  if (steps_ < 1) throw InputError("steps must be >= 1", "--steps");
  if (batch_ < 1) throw InputError("batch must be >= 1", "--batch");
  if (!(learning_rate_ > 0 && std::isfinite(learning_rate_))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (!(min_learning_rate_ >= 0 && min_learning_rate_ <= learning_rate_)) {
    throw InputError("minimum learning rate must be in [0, lr]", "--min-lr");
  }
  if (!(clip_norm_ >= 0)) throw InputError("clip norm must be >= 0", "--clip");
  if (!(anneal_from_ >= 1 && std::isfinite(anneal_from_))) {
    throw InputError("initial temperature must be >= 1", "--anneal-from");
  }
  if (!(init_scale_ > 0 && std::isfinite(init_scale_))) {
    throw InputError("init scale must be > 0", "--init-scale");
  }
  if (checkpoint_every_ < 0) throw InputError("must be >= 0", "--checkpoint-every");
}

nlohmann::json TrainerOptions::to_json() const {
  nlohmann::json out = {{"steps", steps_},
                        {"batch", batch_},
                        {"learning_rate", learning_rate_},
                        {"min_learning_rate", min_learning_rate_},
                        {"schedule", schedule_name(schedule_)},
                        {"clip_norm", clip_norm_},
                        {"anneal_from", anneal_from_},
                        {"init_scale", init_scale_}};
  if (!recipe_.empty()) out["recipe"] = recipe_;
  return out;
}

SamplerTrainer::SamplerTrainer(std::shared_ptr<LearnedKernel> kernel, const Target& target,
                               TrainerOptions options, uint64_t seed)
    : kernel_(std::move(kernel)), target_(target), options_(std::move(options)), rng_(seed) {
  options_.validate();
  nlohmann::json training = options_.to_json();
  training["seed"] = seed;
  kernel_->set_training(std::move(training));
  if (kernel_->dim() != target.dim()) {
    throw InputError("kernel dimension " + std::to_string(kernel_->dim()) +
                         " differs from the target's " + std::to_string(target.dim()),
                     target.name());
  }
  optimizer_ = std::make_unique<torch::optim::Adam>(
      kernel_->parameters(),
      torch::optim::AdamOptions(options_.learning_rate()).betas({0.9, 0.999}));
  chains_ = options_.init_scale() * rng_.normal({options_.batch(), target.dim()});
}

double SamplerTrainer::temperature_at(int64_t iteration) const {
  const double progress =
      static_cast<double>(iteration) / (0.75 * static_cast<double>(options_.steps()));
  return std::pow(options_.anneal_from(), std::max(0.0, 1.0 - progress));
}

void SamplerTrainer::set_data_parallel(ProcessGroup& group) {
  share_ = BatchShare(group, options_.batch());
  group_ = &group;
}

void SamplerTrainer::train(const std::function<void(const TrainingProgress&)>& report) {
  TemperedTarget tempered(target_, 1.0);
  TrainingLoopSettings settings = loop_settings_from(options_);
  settings.group = group_;
  TrainingLoss step;
  if (loop_.iteration == 0) {
    tempered.set_temperature(temperature_at(0));
    kernel_->prepare_training(tempered, chains_, rng_);
  }
  run_training_loop(
      settings, *optimizer_, kernel_->parameters(), loop_,
      [&](double) {
        tempered.set_temperature(temperature_at(loop_.iteration));
        const torch::Tensor fresh = options_.init_scale() * rng_.normal(chains_.sizes());
        step = kernel_->training_loss(tempered, chains_, fresh, rng_, share_);
        step.loss.backward();
        return step.loss.item<double>();
      },
      [this](const std::string& path, bool) { save_checkpoint(path); },
      [&](double loss, double lr, double seconds) {
        if (!report) return;
        TrainingProgress progress;
        progress.iteration = loop_.iteration;
        progress.steps = options_.steps();
        progress.loss = loss;
        progress.accept = step.accept;
        progress.esjd = step.esjd;
        progress.entropy = step.entropy;
        progress.learning_rate = lr;
        progress.temperature = tempered.temperature();
        progress.skipped = loop_.skipped;
        progress.seconds = seconds;
        report(progress);
      });
}

void SamplerTrainer::save_checkpoint(const std::string& path) {
  save_learned_kernel(path, *kernel_, [this](torch::serialize::OutputArchive& archive) {
    write_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
    archive.write("chains", chains_);
    write_world_size(archive, group_);
  });
}

void SamplerTrainer::resume(const std::string& checkpoint) {
  torch::serialize::InputArchive archive;
  std::shared_ptr<LearnedKernel> saved = load_learned_kernel(checkpoint, archive);
  // Name what differs, so that the user knows which option to change back.
  std::string differs;
  if (saved->name() != kernel_->name()) {
    differs = "the sampler (" + saved->name() + ", this run " + kernel_->name() + ")";
  } else if (saved->trained_for().target_spec != kernel_->trained_for().target_spec) {
    differs = "--target ('" + saved->trained_for().target_spec + "', this run '" +
              kernel_->trained_for().target_spec + "')";
  } else if (saved->dim() != kernel_->dim()) {
    differs = "the dimension (" + std::to_string(saved->dim()) + ", this run " +
              std::to_string(kernel_->dim()) + ")";
  } else {
    const nlohmann::json was = saved->options_json(), now = kernel_->options_json();
    for (const auto& [key, value] : was.items()) {
      if (now.value(key, nlohmann::json()) != value) {
        differs = "--sampler " + kernel_->name() + ":" + key + " (" + value.dump() + ", this run " +
                  now.value(key, nlohmann::json()).dump() + ")";
        break;
      }
    }
  }
  if (!differs.empty()) {
    throw InputError("checkpoint was written with another " + differs +
                         "; resume with the "
                         "same options or start afresh",
                     checkpoint);
  }
  try {
    torch::serialize::InputArchive model;
    archive.read("model", model);
    kernel_->load(model);
    torch::Tensor chains;
    archive.read("chains", chains);
    if (!chains.sizes().equals(chains_.sizes())) {
      throw InputError("checkpoint has " + std::to_string(chains.size(0)) +
                           " training chains; this run asks for " + std::to_string(chains_.size(0)),
                       checkpoint);
    }
    chains_ = chains;
    read_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
  } catch (const c10::Error& e) {
    throw InputError("not a training checkpoint (no optimizer state)", checkpoint);
  }
  check_world_size(archive, group_, checkpoint);
}

}  // namespace ebmc
