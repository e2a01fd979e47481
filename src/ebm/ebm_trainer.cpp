#include "ebmc/ebm/ebm_trainer.h"

#include <cmath>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/learned/optimization.h"

namespace ebmc {

void EbmTrainerOptions::validate() const {
  if (steps_ < 1) throw InputError("steps must be >= 1", "--steps");
  if (batch_ < 1) throw InputError("batch must be >= 1", "--batch");
  if (negative_chains_ < 0) throw InputError("must be >= 0", "--negative-chains");
  if (persistent_ < chains_per_iteration()) {
    throw InputError("must be >= the negative chains per iteration", "--persistent");
  }
  if (!(learning_rate_ > 0 && std::isfinite(learning_rate_))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (!(l2_ >= 0 && std::isfinite(l2_))) throw InputError("must be >= 0", "--l2");
  if (checkpoint_every_ < 0) throw InputError("must be >= 0", "--checkpoint-every");
}

torch::Tensor ebm_loss(EnergyModel& model, const torch::Tensor& positives,
                       const torch::Tensor& negatives, double l2, const BatchShare& positive_share,
                       const BatchShare& negative_share) {
  const torch::Tensor pos = model.energy(positives), neg = model.energy(negatives.detach());
  torch::Tensor loss = positive_share.mean(pos) - negative_share.mean(neg);
  // A learned tilt takes its own maximum-likelihood gradient (a fixed one has none).
  if (model.learns_tilt()) {
    loss = loss - positive_share.mean(model.log_base(positives)) +
           negative_share.mean(model.log_base(negatives.detach()));
  }
  if (l2 > 0) {
    loss = loss + l2 * (positive_share.mean(pos.pow(2)) + negative_share.mean(neg.pow(2)));
  }
  return loss;
}

EbmTrainer::EbmTrainer(std::shared_ptr<EnergyModel> model, std::shared_ptr<EbmMethod> method,
                       torch::Tensor data, EbmTrainerOptions options, uint64_t seed)
    : model_(std::move(model)),
      method_(std::move(method)),
      options_(std::move(options)),
      rng_(seed),
      target_(model_) {
  options_.validate();
  if (data.dim() != 2 || data.size(1) != model_->dim() || data.size(0) < 1) {
    throw InputError("training data must be [rows, " + std::to_string(model_->dim()) + "]",
                     "--data");
  }
  if (!torch::isfinite(data).all().item<bool>()) {
    throw InputError("training data has non-finite values", "--data");
  }
  data_ = data.to(torch::kFloat64).contiguous();
  method_->check_model(*model_);
  EbmContext context;
  context.dim = model_->dim();
  context.data = data_;
  context.base_scale = model_->tilt_scale() > 0 ? model_->tilt_scale() : 1.0;
  chains_ = method_->initialize(context, options_.persistent(), rng_).to(torch::kFloat64);
  parameters_ = model_->parameters();
  for (const torch::Tensor& p : method_->trainable_parameters()) parameters_.push_back(p);
  optimizer_ = std::make_unique<torch::optim::Adam>(
      parameters_, torch::optim::AdamOptions(options_.learning_rate()));
}

void EbmTrainer::set_data_parallel(ProcessGroup& group) {
  if (!method_->data_parallel()) {
    throw InputError(method_->name() + " does not train data-parallel; run it in one process",
                     "--method");
  }
  const int64_t m = options_.chains_per_iteration();
  positive_share_ = BatchShare(group, options_.batch());
  if (!method_->sample_free()) negative_share_ = BatchShare(group, m);
  method_->set_share(method_->sample_free() ? positive_share_ : negative_share_);
  group_ = &group;
}

void EbmTrainer::train(const std::function<void(const EbmProgress&)>& report) {
  const int64_t n = options_.batch(), p = options_.persistent();
  const int64_t m = options_.chains_per_iteration();
  TrainingLoopSettings settings;
  settings.steps = options_.steps();
  settings.learning_rate = options_.learning_rate();  // constant, no clipping (grenioux-2023)
  settings.checkpoint_every = options_.checkpoint_every();
  settings.checkpoint_path = options_.checkpoint_path();
  settings.group = group_;
  NegativeBatch negatives;
  run_training_loop(
      settings, *optimizer_, parameters_, loop_,
      [&](double) {
        // Positives: a minibatch of the data; chains: the next `m` persistent chains, in turn.
        const torch::Tensor rows = positive_share_.take(rng_.random_rows(data_.size(0), n));
        const torch::Tensor positives = data_.index_select(0, rows);
        if (method_->sample_free()) {
          const torch::Tensor loss = method_->sample_free_loss(*model_, positives, rng_);
          loss.backward();
          return loss.item<double>();
        }
        const torch::Tensor slots =
            (torch::arange(m, torch::kInt64) + (loop_.iteration * m) % p) % p;
        torch::Tensor chains = negative_share_.take(chains_.index_select(0, slots));
        {
          torch::NoGradGuard no_grad;
          negatives = method_->negatives(target_, chains, loop_.iteration, options_.steps(), rng_);
        }
        chains_.index_copy_(0, slots, negative_share_.gather(chains.detach()));
        const torch::Tensor loss = ebm_loss(*model_, positives, negatives.x, options_.l2(),
                                            positive_share_, negative_share_);
        loss.backward();
        return loss.item<double>();
      },
      [this](const std::string& path, bool interrupted) {
        save_checkpoint(path, interrupted ? "interrupted run" : "checkpoint");
      },
      [&](double loss, double, double seconds) {
        if (!report) return;
        EbmProgress progress;
        progress.iteration = loop_.iteration;
        progress.steps = options_.steps();
        progress.loss = loss;
        progress.global_accept = negatives.global_accept;
        progress.local_accept = negatives.local_accept;
        progress.skipped = loop_.skipped;
        progress.seconds = seconds;
        progress.negatives = &negatives;
        report(progress);
      });
}

void EbmTrainer::save_checkpoint(const std::string& path, const std::string& trained_on) {
  save_energy_model(path, *model_, trained_on, [this](torch::serialize::OutputArchive& archive) {
    torch::serialize::OutputArchive method;
    write_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
    method_->save(method);
    archive.write("method", method);
    archive.write("method_meta", c10::IValue(nlohmann::json{{"name", method_->name()},
                                                            {"options", method_->options_json()}}
                                                 .dump()));
    archive.write("chains", chains_);
    write_world_size(archive, group_);
  });
}

void EbmTrainer::resume(const std::string& checkpoint) {
  torch::serialize::InputArchive archive;
  std::shared_ptr<EnergyModel> saved = load_energy_model(checkpoint, archive);
  std::string differs;
  if (saved->dim() != model_->dim()) {
    differs = "dimension (" + std::to_string(saved->dim()) + ")";
  } else if (saved->options_json() != model_->options_json()) {
    differs = "energy network (" + saved->options_json().dump() + ")";
  } else if (saved->tilt_scale() != model_->tilt_scale()) {
    differs = "tilt scale (" + std::to_string(saved->tilt_scale()) + ")";
  }
  nlohmann::json method_meta;
  try {
    c10::IValue text;
    archive.read("method_meta", text);
    method_meta = nlohmann::json::parse(text.toStringRef());
  } catch (const std::exception&) {
    throw InputError("not an EBM training checkpoint (no trainer state)", checkpoint);
  }
  if (differs.empty() &&
      (method_meta.value("name", "") != method_->name() ||
       method_meta.value("options", nlohmann::json()) != method_->options_json())) {
    differs = "--method (" + method_meta.value("name", "") + ":" +
              method_meta.value("options", nlohmann::json()).dump() + ")";
  }
  if (!differs.empty()) {
    throw InputError("checkpoint was written with another " + differs +
                         "; resume with the same options or start afresh",
                     checkpoint);
  }
  try {
    torch::serialize::InputArchive parameters, method;
    archive.read("model", parameters);
    model_->load(parameters);
    archive.read("method", method);
    method_->load(method);
    torch::Tensor chains;
    archive.read("chains", chains);
    if (!chains.sizes().equals(chains_.sizes())) {
      throw InputError("checkpoint has " + std::to_string(chains.size(0)) +
                           " persistent chains; this run asks for " +
                           std::to_string(chains_.size(0)),
                       checkpoint);
    }
    chains_ = chains;
    read_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
  } catch (const c10::Error&) {
    throw InputError("not an EBM training checkpoint (no trainer state)", checkpoint);
  }
  check_world_size(archive, group_, checkpoint);
}

}  // namespace ebmc
