#include "ebmc/ebm/discrete_ebm_run.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "ebmc/core/cost.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/spec.h"
#include "ebmc/discrete/registry.h"
#include "ebmc/ebm/pseudo_likelihood.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/states_csv.h"
#include "ebmc/io/training_log.h"
#include "ebmc/report/ebm_report.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/samplers/discrete_registry.h"

namespace ebmc {

namespace {

/// Training rows and, when they were drawn from an Ising model, its couplings.
struct DiscreteData {
  torch::Tensor x;      ///< [N, D] 0/1
  torch::Tensor truth;  ///< [D, D] or undefined
};

/// `data_size` rows, each the last state of its own systematic-scan Gibbs chain after `burn_in`
/// sweeps from a uniformly random start (appendix F.2's long Gibbs runs, scaled).
DiscreteData draw_from_model(const DiscreteEbmRunOptions& run) {
  std::unique_ptr<DiscreteTarget> target = make_discrete_target(run.data);
  const auto* ising = dynamic_cast<const IsingModel*>(target.get());
  if (ising == nullptr) {
    throw InputError("a discrete training set can be drawn from ising or ising_er targets only",
                     "--data");
  }
  if (run.data_size < 1) throw InputError("must be >= 1", "--data-size");
  if (run.burn_in < 1) throw InputError("must be >= 1", "--burn-in");
  Rng rng(run.seed);
  std::unique_ptr<DiscreteKernel> gibbs = make_discrete_sampler("gibbs:sweep=1");
  State state = gibbs->init(*ising, ising->random_states(run.data_size, rng));
  const int64_t steps = run.burn_in * ising->num_sites();
  for (int64_t k = 0; k < steps; ++k) gibbs->step(state, rng);
  return {state.x, ising->couplings().dense()};
}

/// Rows of a CSV of 0/1 values (a `--save-states` file's `s.*` columns, or every column).
DiscreteData read_binary_rows(const std::string& path) {
  const torch::Tensor x = read_site_columns(path);
  if (!((x == 0) | (x == 1)).all().item<bool>()) {
    throw InputError("site values must be 0 or 1 for an Ising model", path);
  }
  return {x.contiguous(), torch::Tensor()};
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

}  // namespace

nlohmann::json run_discrete_ebm_training(const DiscreteEbmRunOptions& run,
                                         const DiscreteEbmObserver& observe) {
  if (run.report) require_gnuplot("--report");
  // Method and options first, then the data, then the output folder: all before training.
  Spec method = Spec::parse(run.method, "--method");
  if (method.name() != "pcd" && method.name() != "plm") {
    throw InputError("discrete models train with pcd[:sampler=gwg,steps=10] or plm", "--method");
  }
  DiscretePcdOptions pcd;
  pcd.steps = run.steps;
  pcd.batch = run.batch;
  pcd.learning_rate = run.learning_rate;
  pcd.l1 = run.l1;
  if (method.name() == "pcd") {
    pcd.sampler = method.get_string("sampler", "gwg");
    pcd.sampler_steps = method.get_int("steps", 10);
  }
  method.reject_unused();
  pcd.validate();
  if (run.data.empty()) throw InputError("needs --data", "--data");
  const DiscreteData data =
      std::filesystem::exists(run.data) ? read_binary_rows(run.data) : draw_from_model(run);
  const int64_t sites = data.x.size(1);
  auto model = std::make_shared<LearnedIsing>(sites);
  std::vector<std::string> outputs = {"couplings.csv", "bias.csv", "training.csv", "metrics.json"};
  if (!run.resume) outputs.push_back("model.pt");
  OutputFolder folder(run.out, outputs);
  const std::string model_path = folder.file("model.pt"), checkpoint = model_path + ".ckpt";
  if (run.checkpoint_every < 0) throw InputError("must be >= 0", "--checkpoint-every");
  if (method.name() == "plm" && run.resume) {
    throw InputError("plm has nothing to resume (it is a deterministic fit)", "--resume");
  }
  refuse_unresumed_checkpoint(checkpoint, run.resume);

  Stopwatch clock;
  nlohmann::json metrics = {
      {"method", run.method}, {"data", run.data}, {"rows", data.x.size(0)}, {"sites", sites}};
  double rmse = NAN;
  if (method.name() == "pcd") {
    pcd.checkpoint_every = run.checkpoint_every;
    pcd.checkpoint_path = checkpoint;
    DiscretePcdTrainer trainer(model, data.x, pcd, run.seed);
    if (data.truth.defined()) trainer.set_true_couplings(data.truth);
    if (run.resume) trainer.resume(file_to_resume(checkpoint, model_path));
    TrainingLog log(folder.file("training.csv"), {"iteration", "loss", "rmse", "flips", "seconds"});
    trainer.train([&](const DiscretePcdProgress& p) {
      log.add({static_cast<double>(p.iteration), p.loss, p.rmse, p.flips, p.seconds});
      if (observe) observe(p);
    });
    log.write();
    throw_if_interrupted(trainer.interrupted(), trainer.iteration(), checkpoint);
    fail_training_if(skipped_iterations_failure(trainer.iteration(), trainer.skipped()), "model",
                     checkpoint, run.out, [&] { trainer.save_checkpoint(checkpoint); });
    trainer.save_checkpoint(model_path);
    std::filesystem::remove(checkpoint);
    rmse = trainer.couplings_rmse();
    metrics["sampler"] = pcd.sampler;
    metrics["sampler_steps"] = pcd.sampler_steps;
  } else {
    PseudoLikelihoodOptions options;
    options.steps = run.steps;
    options.batch = run.batch >= data.x.size(0) ? 0 : run.batch;
    options.learning_rate = run.learning_rate;
    options.l1 = run.l1;
    Rng rng(run.seed);
    metrics["final_loss"] = fit_pseudo_likelihood(*model, data.x, options, rng);
    if (data.truth.defined()) rmse = couplings_rmse(model->couplings(), data.truth);
  }
  metrics["iterations"] = run.steps;
  metrics["seconds"] = clock.seconds();
  if (std::isfinite(rmse)) {
    metrics["rmse"] = rmse;
    metrics["log_rmse"] = std::log(rmse);
  }
  torch::NoGradGuard no_grad;
  write_file_atomically(folder.file("couplings.csv"), matrix_csv(model->couplings()));
  write_file_atomically(folder.file("bias.csv"), matrix_csv(model->bias()));
  write_file_atomically(folder.file("metrics.json"), metrics.dump(2) + "\n");
  if (run.report && method.name() == "pcd") {
    metrics["report"] =
        write_ebm_report(run.out, folder.file("training.csv"), nullptr, data.x, nullptr, metrics);
  }
  return metrics;
}

}  // namespace ebmc
