#include "ebmc/flows/flow_trainer.h"

#include <cmath>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/interrupt.h"
#include "ebmc/distributed/data_parallel.h"

namespace ebmc {

FlowObjective parse_flow_objective(const std::string& text) {
  if (text == "forward") return FlowObjective::kForwardKl;
  if (text == "reverse") return FlowObjective::kReverseKl;
  throw InputError("objective must be forward or reverse, got '" + text + "'", "--objective");
}

void FlowTrainerOptions::validate() const {
  if (steps_ < 1) throw InputError("steps must be >= 1", "--steps");
  if (batch_ < 1) throw InputError("batch must be >= 1", "--batch");
  if (!(learning_rate_ > 0 && std::isfinite(learning_rate_))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (!(min_learning_rate_ >= 0 && min_learning_rate_ <= learning_rate_)) {
    throw InputError("minimum learning rate must be in [0, lr]", "--min-lr");
  }
  if (!(clip_norm_ >= 0)) throw InputError("clip norm must be >= 0", "--clip");
  if (checkpoint_every_ < 0) throw InputError("must be >= 0", "--checkpoint-every");
}

torch::Tensor forward_kl_loss(Flow& flow, const torch::Tensor& x, const BatchShare& share) {
  return share.mean(-flow.log_prob(x));
}

ReverseKlTerms reverse_kl_terms(Flow& flow, const Target& target, const torch::Tensor& z) {
  FlowSample s = flow.push_forward(z);
  EnergyAndGrad eg = target.energy_and_grad(s.x.detach());
  const torch::Tensor finite = torch::isfinite(eg.energy) & torch::isfinite(eg.grad).all(1);
  ReverseKlTerms terms;
  terms.finite_rows = finite.sum().item<double>();
  const torch::Tensor weight = finite.to(torch::kFloat64);
  const torch::Tensor energy = torch::where(finite, eg.energy, torch::zeros_like(eg.energy));
  const torch::Tensor grad = torch::where(finite.unsqueeze(1), eg.grad, torch::zeros_like(eg.grad));
  terms.value_sum = ((s.log_prob.detach() + energy) * weight).sum().item<double>();
  // d/dα U(T(z)) = ∇U · ∂T/∂α: the gradient of (x · ∇U) with ∇U held fixed.
  terms.surrogate_sum = ((s.log_prob + (s.x * grad).sum(1)) * weight).sum();
  return terms;
}

ReverseKlLoss reverse_kl_loss(Flow& flow, const Target& target, int64_t batch, Rng& rng) {
  const ReverseKlTerms terms = reverse_kl_terms(flow, target, rng.normal({batch, flow.dim()}));
  if (terms.finite_rows == 0) return {std::nan(""), torch::zeros({}, torch::kFloat64)};
  return {terms.value_sum / terms.finite_rows, terms.surrogate_sum / terms.finite_rows};
}

FlowTrainer::FlowTrainer(std::shared_ptr<Flow> flow, FlowTrainerOptions options, uint64_t seed)
    : flow_(std::move(flow)), options_(std::move(options)), rng_(seed) {
  options_.validate();
  optimizer_ = std::make_unique<torch::optim::Adam>(
      flow_->parameters(), torch::optim::AdamOptions(options_.learning_rate()));
}

FlowTrainer::FlowTrainer(std::shared_ptr<Flow> flow, torch::Tensor data, FlowTrainerOptions options,
                         uint64_t seed)
    : FlowTrainer(std::move(flow), std::move(options), seed) {
  if (data.dim() != 2 || data.size(1) != flow_->dim() || data.size(0) < 1) {
    throw InputError("training data must be [rows, " + std::to_string(flow_->dim()) + "]",
                     "--data");
  }
  if (!torch::isfinite(data).all().item<bool>()) {
    throw InputError("training data has non-finite values", "--data");
  }
  data_ = data.to(torch::kFloat64).contiguous();
}

FlowTrainer::FlowTrainer(std::shared_ptr<Flow> flow, const Target& target,
                         FlowTrainerOptions options, uint64_t seed)
    : FlowTrainer(std::move(flow), std::move(options), seed) {
  if (target.dim() != flow_->dim()) {
    throw InputError("flow dimension " + std::to_string(flow_->dim()) +
                         " differs from the target's " + std::to_string(target.dim()),
                     target.name());
  }
  target_ = &target;
}

void FlowTrainer::set_data_parallel(ProcessGroup& group) {
  share_ = BatchShare(group, options_.batch());
  group_ = &group;
}

double FlowTrainer::loss_and_backward() {
  if (target_ != nullptr) {
    if (!group_) {
      ReverseKlLoss loss = reverse_kl_loss(*flow_, *target_, options_.batch(), rng_);
      if (std::isfinite(loss.value)) loss.surrogate.backward();
      return loss.value;
    }
    // Every rank draws the whole batch (the same numbers) and evaluates its rows.
    const torch::Tensor z = share_.normal(rng_, {share_.rows().count, flow_->dim()});
    const ReverseKlTerms terms = reverse_kl_terms(*flow_, *target_, z);
    std::vector<torch::Tensor> finite = {torch::full({1}, terms.finite_rows, torch::kFloat64)};
    group_->sum(finite);
    const double finite_rows = finite[0].item<double>();
    if (finite_rows == 0) return std::nan("");
    if (terms.surrogate_sum.requires_grad()) (terms.surrogate_sum / finite_rows).backward();
    return terms.value_sum / finite_rows;  // summed over the ranks by the training loop
  }
  const torch::Tensor rows = share_.take(rng_.random_rows(data_.size(0), options_.batch()));
  const torch::Tensor loss = forward_kl_loss(*flow_, data_.index_select(0, rows), share_);
  loss.backward();
  return loss.item<double>();
}

void FlowTrainer::train(const std::function<void(const FlowTrainingProgress&)>& report) {
  TrainingLoopSettings settings = loop_settings_from(options_);
  settings.group = group_;
  run_training_loop(
      settings, *optimizer_, flow_->parameters(), loop_,
      [this](double) { return loss_and_backward(); },
      [this](const std::string& path, bool) { save_checkpoint(path); },
      [&](double loss, double lr, double seconds) {
        if (!report) return;
        FlowTrainingProgress p;
        p.iteration = loop_.iteration;
        p.steps = options_.steps();
        p.loss = loss;
        p.learning_rate = lr;
        p.skipped = loop_.skipped;
        p.seconds = seconds;
        report(p);
      });
}

void FlowTrainer::save_checkpoint(const std::string& path) {
  save_flow(path, *flow_, [this](torch::serialize::OutputArchive& archive) {
    write_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
    write_world_size(archive, group_);
  });
}

void FlowTrainer::resume(const std::string& checkpoint) {
  torch::serialize::InputArchive archive;
  std::shared_ptr<Flow> saved = load_flow(checkpoint, archive);
  std::string differs;
  if (saved->name() != flow_->name()) {
    differs = "flow (" + saved->name() + ", this run " + flow_->name() + ")";
  } else if (saved->dim() != flow_->dim()) {
    differs = "dimension (" + std::to_string(saved->dim()) + ", this run " +
              std::to_string(flow_->dim()) + ")";
  } else if (saved->options_json() != flow_->options_json()) {
    differs = "--flow options (" + saved->options_json().dump() + ")";
  }
  if (!differs.empty()) {
    throw InputError("checkpoint was written with another " + differs +
                         "; resume with the same options or start afresh",
                     checkpoint);
  }
  try {
    torch::serialize::InputArchive model;
    archive.read("flow", model);
    flow_->load(model);
    read_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
  } catch (const c10::Error&) {
    throw InputError("not a flow training checkpoint (no optimizer state)", checkpoint);
  }
  check_world_size(archive, group_, checkpoint);
}

}  // namespace ebmc
