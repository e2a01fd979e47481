#include "ebmc/ebm/discrete_pcd.h"

#include <cmath>

#include "ebmc/core/errors.h"
#include "ebmc/io/model_archive.h"
#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

LearnedIsing::LearnedIsing(int64_t sites) {
  if (sites < 2) throw InputError("an Ising model needs at least 2 sites", "--model");
  upper_ = register_parameter("couplings", torch::zeros({sites, sites}, torch::kFloat64));
  bias_ = register_parameter("bias", torch::zeros({sites}, torch::kFloat64));
}

torch::Tensor LearnedIsing::couplings() const {
  const torch::Tensor upper = torch::triu(upper_, 1);
  return upper + upper.t();
}

torch::Tensor LearnedIsing::couplings_l1() const { return torch::triu(upper_, 1).abs().sum(); }

torch::Tensor LearnedIsing::log_prob(const torch::Tensor& x) const {
  const torch::Tensor s = 2 * x - 1;
  return (s.matmul(couplings()) * s).sum(1) + s.matmul(bias_);
}

IsingModel LearnedIsing::snapshot() const {
  torch::NoGradGuard no_grad;
  return IsingModel(Couplings::from_dense(couplings().detach().clone()), bias_.detach().clone(),
                    "learned ising");
}

void DiscretePcdOptions::validate() const {
  if (steps < 1) throw InputError("steps must be >= 1", "--steps");
  if (batch < 1) throw InputError("batch must be >= 1", "--batch");
  if (sampler_steps < 1) throw InputError("must be >= 1", "--method pcd:steps");
  if (!(learning_rate > 0 && std::isfinite(learning_rate))) {
    throw InputError("learning rate must be > 0", "--lr");
  }
  if (!(l1 >= 0 && std::isfinite(l1))) throw InputError("must be >= 0", "--l1");
}

torch::Tensor pcd_loss(const LearnedIsing& model, const torch::Tensor& positives,
                       const torch::Tensor& negatives, double l1) {
  torch::Tensor loss = model.log_prob(negatives.detach()).mean() - model.log_prob(positives).mean();
  if (l1 > 0) loss = loss + l1 * model.couplings_l1();
  return loss;
}

DiscretePcdTrainer::DiscretePcdTrainer(std::shared_ptr<LearnedIsing> model, torch::Tensor data,
                                       DiscretePcdOptions options, uint64_t seed)
    : model_(std::move(model)), options_(std::move(options)), rng_(seed) {
  options_.validate();
  if (data.dim() != 2 || data.size(1) != model_->sites() || data.size(0) < 1) {
    throw InputError("training data must be [rows, " + std::to_string(model_->sites()) + "]",
                     "--data");
  }
  data_ = data.to(torch::kFloat64).contiguous();
  if (!((data_ == 0) | (data_ == 1)).all().item<bool>()) {
    throw InputError("training data must be binary (0/1)", "--data");
  }
  kernel_ = make_discrete_sampler(options_.sampler);  // an unknown sampler fails here
  // Persistent chains start uniformly at random (Tieleman 2008).
  chains_ = (rng_.uniform({options_.batch, model_->sites()}) < 0.5).to(torch::kFloat64);
  optimizer_ = std::make_unique<torch::optim::Adam>(
      model_->parameters(), torch::optim::AdamOptions(options_.learning_rate));
}

double couplings_rmse(const torch::Tensor& learned, const torch::Tensor& truth) {
  torch::NoGradGuard no_grad;
  const torch::Tensor mask = torch::triu(torch::ones_like(truth), 1).to(torch::kBool);
  return (learned - truth).masked_select(mask).pow(2).mean().sqrt().item<double>();
}

double DiscretePcdTrainer::couplings_rmse() const {
  if (!true_couplings_.defined()) return NAN;
  return ebmc::couplings_rmse(model_->couplings(), true_couplings_);
}

void DiscretePcdTrainer::train(const std::function<void(const DiscretePcdProgress&)>& report) {
  TrainingLoopSettings settings;
  settings.steps = options_.steps;
  settings.learning_rate = options_.learning_rate;
  settings.checkpoint_every = options_.checkpoint_every;
  settings.checkpoint_path = options_.checkpoint_path;
  double flips = 0;
  run_training_loop(
      settings, *optimizer_, model_->parameters(), loop_,
      [&](double) {
        // Negative phase: K sampler steps on the persistent chains under the current model.
        const IsingModel current = model_->snapshot();
        State state = kernel_->init(current, chains_);
        flips = 0;
        for (int64_t k = 0; k < options_.sampler_steps; ++k) {
          const Info info = kernel_->step(state, rng_);
          const torch::Tensor changed = info.stat("flips__");
          if (changed.defined()) flips += changed.mean().item<double>();
        }
        chains_ = state.x;
        const torch::Tensor positives =
            data_.index_select(0, rng_.random_rows(data_.size(0), options_.batch));
        const torch::Tensor loss = pcd_loss(*model_, positives, chains_, options_.l1);
        loss.backward();
        return loss.item<double>();
      },
      [this](const std::string& path, bool) { save_checkpoint(path); },
      [&](double loss, double, double seconds) {
        if (!report) return;
        DiscretePcdProgress p;
        p.iteration = loop_.iteration;
        p.steps = options_.steps;
        p.loss = loss;
        p.rmse = couplings_rmse();
        p.flips = flips / static_cast<double>(options_.sampler_steps);
        p.seconds = seconds;
        report(p);
      });
}

nlohmann::json DiscretePcdTrainer::configuration() const {
  return {{"sites", model_->sites()},
          {"sampler", options_.sampler},
          {"sampler_steps", options_.sampler_steps},
          {"batch", options_.batch}};
}

void DiscretePcdTrainer::save_checkpoint(const std::string& path) {
  const nlohmann::json meta = {{"format", "ebmc-discrete-ebm"},
                               {"version", 1},
                               {"kind", "ising"},
                               {"configuration", configuration()}};
  save_model_archive(path, meta, *model_, "model", [&](torch::serialize::OutputArchive& archive) {
    write_trainer_state(archive, *optimizer_, rng_, loop_.iteration, loop_.skipped);
    archive.write("chains", chains_);
  });
}

void DiscretePcdTrainer::resume(const std::string& path) {
  torch::serialize::InputArchive archive;
  const nlohmann::json meta =
      load_model_archive(path, archive, "ebmc-discrete-ebm", 1, "discrete EBM checkpoint");
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
  } catch (const c10::Error&) {
    throw InputError("not a resumable discrete EBM checkpoint (corrupt?)", path);
  }
}

}  // namespace ebmc
