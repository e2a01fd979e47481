#include "ebmc/ebm/discrete_ebm_run.h"

#include "ebmc/ebm/ebm_metrics.h"

#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/spec.h"
#include "ebmc/diagnostics/ais.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/ebm/pseudo_likelihood.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/states_csv.h"
#include "ebmc/io/training_log.h"
#include "ebmc/report/ebm_report.h"
#include "ebmc/samplers/discrete_registry.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

namespace {

/// Training rows, and the true interaction strengths when they were drawn from a known model.
struct DiscreteData {
  torch::Tensor x;      ///< [N, D] 0/1 or one-hot [N, D, K]
  torch::Tensor truth;  ///< [D, D] or undefined
  int64_t values = 2;
};

DiscreteData draw_from_model(const DiscreteEbmRunOptions& run) {
  if (!is_registered_discrete_target(run.data)) {
    throw InputError("'" + run.data +
                         "' is neither a file, a shipped data set (digits) nor a discrete target "
                         "(see `ebmc list`)",
                     "--data");
  }
  std::unique_ptr<DiscreteTarget> target = make_discrete_target(run.data);
  if (run.data_size < 1) throw InputError("must be >= 1", "--data-size");
  if (run.burn_in < 1) throw InputError("must be >= 1", "--burn-in");
  return {draw_training_rows(*target, run.data_size, run.burn_in, run.seed),
          target->interaction_strengths(), target->num_values()};
}

/// The site values of a CSV ([N, D]) and the number of values K (the largest + 1, at least 2).
DiscreteData read_rows(const std::string& path) {
  const torch::Tensor x = read_site_columns(path);
  if (!torch::equal(x, x.round()) || (x < 0).any().item<bool>()) {
    throw InputError("site values must be integers >= 0 (0/1 for binary models)", path);
  }
  return {x.contiguous(), torch::Tensor(),
          std::max<int64_t>(2, static_cast<int64_t>(x.max().item<double>()) + 1)};
}

/// `data` shaped as the states of `model` (one-hot for categorical models).
torch::Tensor as_model_states(const DiscreteEnergyModel& model, const torch::Tensor& x) {
  if (model.categorical() && x.dim() == 2) return one_hot_states(x, model.values());
  return x.to(torch::kFloat64);
}

/// A matrix as CSV rows (10 significant digits).
std::string matrix_csv(const torch::Tensor& m) {
  std::ostringstream out;
  out.precision(10);
  const torch::Tensor t = m.dim() == 1 ? m.unsqueeze(0) : m;
  for (int64_t i = 0; i < t.size(0); ++i) {
    for (int64_t j = 0; j < t.size(1); ++j) out << (j ? "," : "") << t[i][j].item<double>();
    out << "\n";
  }
  return out.str();
}

/// The side of a square image of D binary sites, or 0.
int64_t image_side(const torch::Tensor& x) {
  if (x.dim() != 2) return 0;
  const auto side = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(x.size(1)))));
  return side * side == x.size(1) && side >= 4 ? side : 0;
}

/// The report's figures: learned (and true) interaction strengths, samples and data as images.
/// `strengths` are the model's interaction strengths (undefined for latent and neural models).
std::vector<GnuplotFigure> report_figures(const DiscreteEnergyModel& model,
                                          const torch::Tensor& strengths, const DiscreteData& data,
                                          const torch::Tensor& samples) {
  torch::NoGradGuard no_grad;
  std::vector<GnuplotFigure> figures;
  if (strengths.defined()) {
    figures.push_back(matrix_figure(model.kind() == "ising" ? "learned J" : "learned |J_ij|",
                                    strengths.detach().abs()));
  }
  if (data.truth.defined()) figures.push_back(matrix_figure("true couplings", data.truth.abs()));
  const int64_t side = image_side(data.x);
  if (side > 0) {
    auto tiles = [&](const torch::Tensor& x) {
      const int64_t n = std::min<int64_t>(64, x.size(0));
      return tile_images(x.narrow(0, 0, n).view({n, side, side}), 8);
    };
    if (samples.defined()) figures.push_back(matrix_figure("model samples", tiles(samples), true));
    figures.push_back(matrix_figure("training data", tiles(data.x), true));
  }
  return figures;
}

}  // namespace

torch::Tensor draw_training_rows(const DiscreteTarget& target, int64_t rows, int64_t burn_in,
                                 uint64_t seed) {
  Rng rng(seed);
  std::unique_ptr<DiscreteKernel> gibbs = make_discrete_sampler("gibbs:sweep=1");
  State state = gibbs->init(target, target.random_states(rows, rng));
  const int64_t steps = burn_in * target.num_sites();
  for (int64_t k = 0; k < steps; ++k) gibbs->step(state, rng);
  return state.x;
}

double contact_precision(const torch::Tensor& strengths, const torch::Tensor& truth, int64_t top) {
  torch::NoGradGuard no_grad;
  const torch::Tensor mask = torch::triu(torch::ones_like(truth), 1).to(torch::kBool);
  const torch::Tensor score = strengths.detach().abs().masked_select(mask);
  const torch::Tensor real = truth.masked_select(mask) != 0;
  top = std::min<int64_t>(top, score.size(0));
  if (top < 1) return NAN;
  const torch::Tensor best = std::get<1>(score.topk(top));
  return real.index_select(0, best).to(torch::kFloat64).mean().item<double>();
}

nlohmann::json run_discrete_ebm_training(const DiscreteEbmRunOptions& run,
                                         const DiscreteEbmObserver& observe) {
  if (run.report) require_gnuplot("--report");
  // Method and options first, then the data and model, then the output folder: all before
  // training.
  Spec method = Spec::parse(run.method, "--method");
  if (method.name() != "pcd" && method.name() != "plm") {
    throw InputError("discrete models train with pcd[:sampler=gwg,steps=10] or plm", "--method");
  }
  DiscretePcdOptions pcd;
  pcd.steps = run.steps;
  pcd.batch = run.batch;
  pcd.buffer = run.buffer;
  pcd.reinit = run.reinit;
  pcd.warmup = run.warmup;
  pcd.ema = run.ema;
  pcd.learning_rate = run.learning_rate;
  pcd.l1 = run.l1;
  pcd.model_spec = run.model;
  if (method.name() == "pcd") {
    pcd.sampler = method.get_string("sampler", "gwg");
    pcd.sampler_steps = method.get_int("steps", 10);
  }
  method.reject_unused();
  pcd.validate();
  if (run.ais_steps < 0) throw InputError("must be >= 0", "--ais-steps");
  if (run.ais_chains < 2) throw InputError("must be >= 2", "--ais-chains");
  if (run.data.empty()) throw InputError("needs --data", "--data");
  // A shipped data set by name (`digits`): data/NAME_train.csv, tested on data/NAME_test.csv.
  std::string train_file = run.data, test_file = run.test_data;
  const std::string shipped = default_data_dir() + "/" + run.data;
  if (!std::filesystem::exists(run.data) && std::filesystem::exists(shipped + "_train.csv")) {
    train_file = shipped + "_train.csv";
    if (test_file.empty()) test_file = shipped + "_test.csv";
  }
  DiscreteData data =
      std::filesystem::exists(train_file) ? read_rows(train_file) : draw_from_model(run);
  if (!run.truth.empty()) {
    data.truth = make_discrete_target(run.truth)->interaction_strengths();
    if (!data.truth.defined()) {
      throw InputError("has no couplings in closed form (ising, ising_er, potts_planted do)",
                       "--truth " + run.truth);
    }
    if (data.truth.size(0) != data.x.size(1)) {
      throw InputError("has " + std::to_string(data.truth.size(0)) + " sites; the data " +
                           std::to_string(data.x.size(1)),
                       "--truth " + run.truth);
    }
  }
  torch::Tensor test;
  if (!test_file.empty()) {
    const DiscreteData t = read_rows(test_file);
    test = t.x;
    data.values = std::max(data.values, t.values);
  }
  const int64_t sites = data.x.size(1);
  Rng init_rng(run.seed);
  std::shared_ptr<DiscreteEnergyModel> model =
      make_discrete_energy_model(run.model, sites, data.values, init_rng);
  data.x = as_model_states(*model, data.x);
  check_model_states(*model, data.x);
  if (test.defined()) {
    test = as_model_states(*model, test);
    if (test.size(1) != sites) {
      throw InputError("has " + std::to_string(test.size(1)) + " sites; the training data " +
                           std::to_string(sites),
                       test_file);
    }
  }
  if (method.name() == "plm") model->pseudo_log_likelihood(data.x.narrow(0, 0, 1));  // refuses
  if (method.name() == "plm" && run.group) {
    throw InputError("plm is a deterministic fit on all the data: run it in one process",
                     "--method plm");
  }
  // Rank 0 of a data-parallel job alone owns the folder and writes.
  const bool writes = run.group == nullptr || run.group->is_root();
  const bool interactions = model->interaction_strengths().defined();
  std::vector<std::string> outputs = {"training.csv", "metrics.json"};
  if (method.name() == "pcd") outputs.push_back("samples.csv");
  if (interactions) outputs.push_back("couplings.csv");
  if (model->kind() == "ising") outputs.push_back("bias.csv");
  if (!run.resume) outputs.push_back("model.pt");
  std::optional<OutputFolder> folder;
  if (writes) folder.emplace(run.out, outputs);
  const std::string model_path = run.out + "/model.pt", checkpoint = model_path + ".ckpt";
  if (run.checkpoint_every < 0) throw InputError("must be >= 0", "--checkpoint-every");
  if (method.name() == "plm" && run.resume) {
    throw InputError("plm has nothing to resume (it is a deterministic fit)", "--resume");
  }
  refuse_unresumed_checkpoint(checkpoint, run.resume);

  Stopwatch clock;
  nlohmann::json metrics = {{"model", run.model}, {"method", run.method},
                            {"data", run.data},   {"rows", data.x.size(0)},
                            {"sites", sites},     {"values", model->values()}};
  torch::Tensor samples;
  if (method.name() == "pcd") {
    model->initialize_from_data(data.x);
    pcd.checkpoint_every = run.checkpoint_every;
    pcd.checkpoint_path = checkpoint;
    DiscretePcdTrainer trainer(model, data.x, pcd, run.seed);
    if (data.truth.defined()) trainer.set_true_couplings(data.truth);
    if (run.group) trainer.set_data_parallel(*run.group);
    if (run.resume) trainer.resume(file_to_resume(checkpoint, model_path));
    TrainingLog log(run.out + "/training.csv",
                    {"iteration", "loss", "rmse", "flips", "accept", "learning_rate", "seconds"});
    trainer.train([&](const DiscretePcdProgress& p) {
      if (!writes) return;
      log.add({static_cast<double>(p.iteration), p.loss, p.rmse, p.flips, p.accept, p.learning_rate,
               p.seconds});
      if (observe) observe(p);
    });
    if (writes) log.write();
    throw_if_interrupted(trainer.interrupted(), trainer.iteration(), checkpoint);
    fail_training_if(skipped_iterations_failure(trainer.iteration(), trainer.skipped()), "model",
                     checkpoint, run.out, [&] {
                       if (writes) trainer.save_checkpoint(checkpoint);
                     });
    if (!writes) return nlohmann::json::object();
    trainer.save_checkpoint(model_path);
    std::filesystem::remove(checkpoint);
    trainer.use_ema_weights();  // evaluate the averaged weights
    samples = trainer.chains();
    metrics["sampler"] = pcd.sampler;
    metrics["sampler_steps"] = pcd.sampler_steps;
    metrics["buffer"] = trainer.chains().size(0);
    if (run.ema > 0) metrics["ema"] = run.ema;
  } else {
    PseudoLikelihoodOptions options;
    options.steps = run.steps;
    options.batch = run.batch >= data.x.size(0) ? 0 : run.batch;
    options.learning_rate = run.learning_rate;
    options.l1 = run.l1;
    Rng rng(run.seed);
    metrics["final_loss"] = fit_pseudo_likelihood(*model, data.x, options, rng);
    write_file_atomically(folder->file("training.csv"), "iteration,loss\n");
  }
  metrics["iterations"] = run.steps;
  metrics["seconds"] = clock.seconds();
  torch::NoGradGuard no_grad;
  const torch::Tensor strengths = model->interaction_strengths();  // of the evaluated weights
  if (data.truth.defined() && interactions) {
    const double rmse = couplings_rmse(strengths, data.truth);
    metrics["rmse"] = rmse;
    metrics["log_rmse"] = std::log(rmse);
    const int64_t contacts = torch::triu(data.truth != 0, 1).sum().item<int64_t>();
    metrics["true_contacts"] = contacts;
    metrics["contact_precision_at_half"] = contact_precision(strengths, data.truth, contacts / 2);
    metrics["contact_precision_at_contacts"] = contact_precision(strengths, data.truth, contacts);
  }
  const int64_t ais_steps = run.ais_steps > 0 ? run.ais_steps : (test.defined() ? 2000 : 0);
  if (ais_steps > 0) {
    const std::unique_ptr<DiscreteTarget> target = model->snapshot();
    AisOptions ais;
    ais.steps = ais_steps;
    ais.chains = run.ais_chains;
    Rng rng(run.seed + 1);
    Stopwatch ais_clock;
    const AisResult z =
        annealed_importance_sampling(*target, fitted_base(*target, data.x), ais, rng);
    metrics["log_z"] = z.log_z;
    metrics["log_z_stderr"] = z.log_z_stderr;
    metrics["ais_weights_ess"] = z.weights_ess;
    metrics["ais_steps"] = ais_steps;
    metrics["ais_seconds"] = ais_clock.seconds();
    metrics["train_log_likelihood"] = target->log_prob(data.x).mean().item<double>() - z.log_z;
    if (test.defined()) {
      metrics["test_log_likelihood"] = target->log_prob(test).mean().item<double>() - z.log_z;
    }
  }
  if (interactions) {
    write_file_atomically(folder->file("couplings.csv"), matrix_csv(strengths));
  }
  if (const auto* ising = dynamic_cast<const LearnedIsing*>(model.get())) {
    write_file_atomically(folder->file("bias.csv"), matrix_csv(ising->bias()));
  }
  if (samples.defined()) write_file_atomically(folder->file("samples.csv"), states_csv(samples));
  add_training_warnings(metrics);
  write_file_atomically(folder->file("metrics.json"), metrics.dump(2) + "\n");
  if (run.report) {
    metrics["report"] = write_discrete_ebm_report(
        run.out, method.name() == "pcd" ? folder->file("training.csv") : "",
        report_figures(*model, strengths, data, samples), metrics);
  }
  return metrics;
}

}  // namespace ebmc
