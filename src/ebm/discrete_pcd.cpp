#include "ebmc/ebm/discrete_pcd.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/io/model_archive.h"
#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

namespace {

constexpr int kCheckpointVersion = 2;

}  // namespace

void DiscretePcdOptions::validate() const {
  if (steps < 1) throw InputError("steps must be >= 1", "--steps");
  if (batch < 1) throw InputError("batch must be >= 1", "--batch");
  if (buffer != 0 && buffer < batch) {
    throw InputError(
        "the buffer must hold at least a batch of chains (" + std::to_string(batch) + ")",
        "--persistent");
  }
  if (!(reinit >= 0 && reinit <= 1)) throw InputError("must be in [0, 1]", "--reinit");
  if (sampler_steps < 1) throw InputError("must be >= 1", "--method pcd:steps");
  if (!(learning_rate > 0 && std::isfinite(learning_rate))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (warmup < 0) throw InputError("must be >= 0", "--warmup");
  if (!(l1 >= 0 && std::isfinite(l1))) throw InputError("must be >= 0", "--l1");
  if (!(ema >= 0 && ema < 1)) throw InputError("must be in [0, 1)", "--ema");
}

torch::Tensor pcd_loss(const DiscreteEnergyModel& model, const torch::Tensor& positives,
                       const torch::Tensor& negatives, double l1, const BatchShare& share) {
  torch::Tensor loss =
      share.mean(model.log_prob(negatives.detach())) - share.mean(model.log_prob(positives));
  if (l1 > 0) {
    // Each rank's part of the penalty is its fraction of the batch: the parts sum to it.
    const torch::Tensor penalty = model.penalty();
    if (penalty.defined()) loss = loss + l1 * share.fraction() * penalty;
  }
  return loss;
}

double couplings_rmse(const torch::Tensor& learned, const torch::Tensor& truth) {
  torch::NoGradGuard no_grad;
  const torch::Tensor mask = torch::triu(torch::ones_like(truth), 1).to(torch::kBool);
  return (learned - truth).masked_select(mask).pow(2).mean().sqrt().item<double>();
}

void check_model_states(const DiscreteEnergyModel& model, const torch::Tensor& x) {
  const std::string shape = model.categorical()
                                ? "[rows, " + std::to_string(model.sites()) + ", " +
                                      std::to_string(model.values()) + "] one-hot"
                                : "[rows, " + std::to_string(model.sites()) + "] binary (0/1)";
  const bool shaped = model.categorical() ? x.dim() == 3 && x.size(1) == model.sites() &&
                                                x.size(2) == model.values()
                                          : x.dim() == 2 && x.size(1) == model.sites();
  if (!shaped || x.size(0) < 1 || !((x == 0) | (x == 1)).all().item<bool>() ||
      (model.categorical() && !(x.sum(-1) == 1).all().item<bool>())) {
    throw InputError("training data must be " + shape, "--data");
  }
}

DiscretePcdTrainer::DiscretePcdTrainer(std::shared_ptr<DiscreteEnergyModel> model,
                                       torch::Tensor data, DiscretePcdOptions options,
                                       uint64_t seed)
    : model_(std::move(model)), options_(std::move(options)), rng_(seed) {
  options_.validate();
  if (options_.buffer == 0) options_.buffer = options_.batch;
  data_ = data.to(torch::kFloat64).contiguous();
  check_model_states(*model_, data_);
  kernel_ = make_discrete_sampler(options_.sampler);  // an unknown sampler fails here
  const std::unique_ptr<DiscreteTarget> start = model_->snapshot();
  base_ = fitted_base(*start, data_);
  // Persistent chains start uniformly at random (Tieleman 2008).
  chains_ = start->random_states(options_.buffer, rng_);
  optimizer_ = std::make_unique<torch::optim::Adam>(
      model_->parameters(), torch::optim::AdamOptions(options_.learning_rate));
  if (options_.ema > 0) {
    for (const torch::Tensor& p : model_->parameters()) ema_.push_back(p.detach().clone());
  }
}

double DiscretePcdTrainer::couplings_rmse() const {
  if (!true_couplings_.defined()) return NAN;
  const torch::Tensor learned = model_->interaction_strengths();
  if (!learned.defined()) return NAN;
  return ebmc::couplings_rmse(learned, true_couplings_);
}

torch::Tensor DiscretePcdTrainer::draw_buffer_rows() {
  if (options_.buffer == options_.batch) return torch::Tensor();
  return torch::randperm(options_.buffer, rng_.generator()).narrow(0, 0, options_.batch);
}

void DiscretePcdTrainer::set_data_parallel(ProcessGroup& group) {
  share_ = BatchShare(group, options_.batch);
  group_ = &group;
}

void DiscretePcdTrainer::train(const std::function<void(const DiscretePcdProgress&)>& report) {
  TrainingLoopSettings settings;
  settings.steps = options_.steps;
  settings.learning_rate = options_.learning_rate;
  settings.warmup_steps = options_.warmup;
  settings.checkpoint_every = options_.checkpoint_every;
  settings.checkpoint_path = options_.checkpoint_path;
  settings.group = group_;
  if (!ema_.empty()) {
    settings.after_step = [this] {
      torch::NoGradGuard no_grad;
      const std::vector<torch::Tensor> parameters = model_->parameters();
      for (size_t i = 0; i < ema_.size(); ++i) {
        ema_[i].mul_(options_.ema).add_(parameters[i].detach(), 1 - options_.ema);
      }
    };
  }
  double flips = 0, accept = 0;
  run_training_loop(
      settings, *optimizer_, model_->parameters(), loop_,
      [&](double) {
        // Negative phase: K sampler steps on a batch of the persistent chains under the current
        // model, some of them restarted from the base first (the replay buffer).
        const torch::Tensor rows = draw_buffer_rows();
        torch::Tensor chains = rows.defined() ? chains_.index_select(0, rows) : chains_;
        if (options_.reinit > 0) {
          const torch::Tensor restart = rng_.uniform({options_.batch}) < options_.reinit;
          const torch::Tensor fresh = base_.sample(options_.batch, model_->categorical(), rng_);
          std::vector<int64_t> shape(static_cast<size_t>(chains.dim()), 1);
          shape[0] = options_.batch;
          chains = torch::where(restart.view(shape), fresh, chains);
        }
        // Data-parallel: this rank's chains, drawn for as one process would draw for all.
        chains = share_.take(chains);
        Rng chain_rng = share_.rows_of(rng_);
        const std::unique_ptr<DiscreteTarget> current = model_->snapshot();
        State state = kernel_->init(*current, chains);
        // Per-chain flips and acceptances of every step, averaged over the batch at the end.
        std::vector<torch::Tensor> changes, accepts;
        bool accepts_all = true;
        for (int64_t k = 0; k < options_.sampler_steps; ++k) {
          const Info info = kernel_->step(state, chain_rng);
          const torch::Tensor changed = info.stat("flips__");
          if (changed.defined()) changes.push_back(changed);
          if (info.accept_prob.defined()) {
            accepts.push_back(info.accept_prob);
          } else {
            accepts_all = false;
          }
        }
        std::vector<torch::Tensor> per_row = changes;
        per_row.insert(per_row.end(), accepts.begin(), accepts.end());
        const std::vector<double> means = share_.batch_means(per_row);
        flips = 0;
        accept = 0;
        for (size_t i = 0; i < changes.size(); ++i) flips += means[i];
        for (size_t i = changes.size(); i < means.size(); ++i) accept += means[i];
        if (!accepts_all) accept = NAN;
        const torch::Tensor advanced = share_.gather(state.x);
        if (rows.defined()) {
          chains_.index_copy_(0, rows, advanced);
        } else {
          chains_ = advanced;
        }
        const torch::Tensor positives =
            data_.index_select(0, share_.take(rng_.random_rows(data_.size(0), options_.batch)));
        const torch::Tensor loss = pcd_loss(*model_, positives, state.x, options_.l1, share_);
        loss.backward();
        return loss.item<double>();
      },
      [this](const std::string& path, bool) { save_checkpoint(path); },
      [&](double loss, double learning_rate, double seconds) {
        if (!report) return;
        DiscretePcdProgress p;
        p.iteration = loop_.iteration;
        p.steps = options_.steps;
        p.loss = loss;
        p.rmse = couplings_rmse();
        p.flips = flips / static_cast<double>(options_.sampler_steps);
        p.accept = accept / static_cast<double>(options_.sampler_steps);
        p.learning_rate = learning_rate;
        p.seconds = seconds;
        report(p);
      });
}

void DiscretePcdTrainer::use_ema_weights() {
  torch::NoGradGuard no_grad;
  const std::vector<torch::Tensor> parameters = model_->parameters();
  for (size_t i = 0; i < ema_.size(); ++i) parameters[i].copy_(ema_[i]);
}

nlohmann::json DiscretePcdTrainer::configuration() const {
  return {{"model", options_.model_spec},
          {"sites", model_->sites()},
          {"values", model_->values()},
          {"sampler", options_.sampler},
          {"sampler_steps", options_.sampler_steps},
          {"batch", options_.batch},
          {"buffer", options_.buffer},
          {"ema", options_.ema}};
}

void DiscretePcdTrainer::save_checkpoint(const std::string& path) {
  const nlohmann::json meta = {{"format", "ebmc-discrete-ebm"},
                               {"version", kCheckpointVersion},
                               {"kind", model_->kind()},
                               {"configuration", configuration()}};
  save_model_archive(path, meta, *model_, "model", [&](torch::serialize::OutputArchive& archive) {
    write_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
    archive.write("chains", chains_);
    for (size_t i = 0; i < ema_.size(); ++i) archive.write("ema." + std::to_string(i), ema_[i]);
    write_world_size(archive, group_);
  });
}

void DiscretePcdTrainer::resume(const std::string& path) {
  torch::serialize::InputArchive archive;
  const nlohmann::json meta = load_model_archive(path, archive, "ebmc-discrete-ebm",
                                                 kCheckpointVersion, "discrete EBM checkpoint");
  if (meta.value("configuration", nlohmann::json()) != configuration()) {
    throw InputError("the checkpoint is of another configuration (" +
                         meta.value("configuration", nlohmann::json()).dump() + ")",
                     path);
  }
  try {
    torch::serialize::InputArchive parameters;
    archive.read("model", parameters);
    model_->load(parameters);
    read_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
    archive.read("chains", chains_);
    for (size_t i = 0; i < ema_.size(); ++i) archive.read("ema." + std::to_string(i), ema_[i]);
  } catch (const c10::Error&) {
    throw InputError("not a resumable discrete EBM checkpoint (corrupt?)", path);
  }
  check_world_size(archive, group_, path);
}

std::shared_ptr<DiscreteEnergyModel> load_discrete_energy_model(const std::string& path, bool ema) {
  torch::serialize::InputArchive archive;
  const nlohmann::json meta = load_model_archive(path, archive, "ebmc-discrete-ebm",
                                                 kCheckpointVersion, "discrete EBM model");
  std::shared_ptr<DiscreteEnergyModel> model;
  try {
    const nlohmann::json& c = meta.at("configuration");
    Rng rng(0);  // every parameter is read from the file
    model =
        make_discrete_energy_model(c.at("model").get<std::string>(), c.at("sites").get<int64_t>(),
                                   c.at("values").get<int64_t>(), rng);
  } catch (const nlohmann::json::exception&) {
    throw InputError("not a discrete EBM model (no model spec or shape)", path);
  } catch (const InputError& e) {
    throw InputError(std::string("cannot rebuild the model: ") + e.what(), path);
  }
  try {
    torch::serialize::InputArchive parameters;
    archive.read("model", parameters);
    model->load(parameters);
    if (ema) {
      torch::NoGradGuard no_grad;
      const std::vector<torch::Tensor> p = model->parameters();
      torch::Tensor value;
      for (size_t i = 0; i < p.size() && archive.try_read("ema." + std::to_string(i), value); ++i) {
        p[i].copy_(value);
      }
    }
  } catch (const c10::Error&) {
    throw InputError("not a discrete EBM model (corrupt?)", path);
  }
  return model;
}

void DiscreteEbmTargetOptions::validate() const {
  if (model().empty()) {
    throw InputError("needs model=PATH, a model written by `ebmc train-ebm`", "discrete_ebm:model");
  }
}

EBMC_REGISTER(register_discrete_target<DiscreteEbmTargetOptions>(
    "discrete_ebm", "a discrete EBM trained by `ebmc train-ebm` (ising, potts, rbm, deep)",
    [](const DiscreteEbmTargetOptions& o) {
      return load_discrete_energy_model(o.model(), o.weights() == "ema")->snapshot();
    }));

}  // namespace ebmc
