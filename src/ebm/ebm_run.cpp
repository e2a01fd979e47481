#include "ebmc/ebm/ebm_run.h"

#include <cmath>
#include <filesystem>
#include <optional>

#include "ebmc/core/errors.h"
#include "ebmc/distributed/process_group.h"
#include "ebmc/ebm/ebm_metrics.h"
#include "ebmc/ebm/ebm_presets.h"
#include "ebmc/ebm/maximum_likelihood.h"
#include "ebmc/io/atomic_file.h"
#include "ebmc/io/output_folder.h"
#include "ebmc/io/training_log.h"
#include "ebmc/report/ebm_report.h"
#include "ebmc/report/gnuplot.h"
#include "ebmc/targets/data_sets.h"

namespace ebmc {

namespace {

/// The trainer's options: the preset's, with what `run` overrides.
EbmTrainerOptions trainer_options(const EbmRunOptions& run, const EbmPreset& preset, int64_t rows) {
  EbmTrainerOptions options = preset.trainer;
  if (run.batch > 0) options.batch(run.batch);
  if (run.persistent > 0) options.persistent(run.persistent);
  if (run.negative_chains >= 0) options.negative_chains(run.negative_chains);
  if (run.learning_rate > 0) options.learning_rate(run.learning_rate);
  options.l2(run.l2);
  const int64_t per_epoch = (rows + options.batch() - 1) / options.batch();
  options.steps(run.steps > 0 ? run.steps
                              : (run.epochs > 0 ? run.epochs : preset.epochs) * per_epoch);
  options.checkpoint_every(run.checkpoint_every);
  options.validate();
  return options;
}

/// `run.model` with the mlp's width and depth from `--width` / `--depth` unless it names them.
std::string model_spec(const EbmRunOptions& run) {
  const Spec spec = Spec::parse(run.model, "--model");
  if (spec.name() != "mlp") return run.model;
  std::string text = run.model + (run.model.find(':') == std::string::npos ? ":" : ",");
  if (!spec.has("width")) text += "width=" + std::to_string(run.width) + ",";
  if (!spec.has("depth")) text += "depth=" + std::to_string(run.depth);
  if (text.back() == ',' || text.back() == ':') text.pop_back();
  return text;
}

}  // namespace

EbmRunResult run_ebm_training(const EbmRunOptions& run, const EbmRunObserver& observe) {
  if (run.report) require_gnuplot("--report");
  if (run.resolution < 10) throw InputError("must be >= 10", "--resolution");
  if (run.weights_every < 0) throw InputError("must be >= 0", "--weights-every");
  if (run.tilt_given && !(run.tilt_scale >= 0 && std::isfinite(run.tilt_scale))) {
    throw InputError("tilt scale must be finite and >= 0", "--tilt-scale");
  }
  // The data first (its dimension sizes the flows of Table 6), then the preset and overrides.
  const int64_t default_size = ebm_preset(run.preset, run.method, 2).data_size;
  const TrainingData data =
      load_training_data(run.data, run.data_size > 0 ? run.data_size : default_size, run.seed);
  const int64_t dim = data.x.size(1);
  const EbmPreset preset = ebm_preset(run.preset, run.method, dim);
  EbmTrainerOptions options = trainer_options(run, preset, data.x.size(0));
  std::shared_ptr<EbmMethod> method = make_ebm_method(preset.method_spec);

  // Rank 0 of a data-parallel job alone owns the folder and writes.
  const bool writes = run.group == nullptr || run.group->is_root();
  std::vector<std::string> outputs = {"metrics.json", "report.html", "training.csv", "flow.pt"};
  if (!run.resume) outputs.push_back("model.pt");
  std::optional<OutputFolder> folder;
  if (writes) folder.emplace(run.out, outputs);
  const std::string model_path = run.out + "/model.pt", checkpoint = model_path + ".ckpt";
  options.checkpoint_path(checkpoint);
  refuse_unresumed_checkpoint(checkpoint, run.resume);
  const std::string model_text = model_spec(run);
  const double tilt = run.tilt_given ? run.tilt_scale
                      : energy_model_is_tilted(model_text)
                          ? std::get<0>(data.x.std(0).max(0)).item<double>()
                          : 0.0;
  Rng init_rng(run.seed);
  std::shared_ptr<EnergyModel> model =
      make_energy_model(model_text, dim, tilt, run.learn_tilt, init_rng);
  EbmTrainer trainer(model, method, data.x, options, run.seed);
  if (run.group) trainer.set_data_parallel(*run.group);
  if (run.resume) trainer.resume(file_to_resume(checkpoint, model_path));

  // Mode weights along training (2-d data drawn from a target with known modes).
  EbmRunResult result;
  result.method_spec = preset.method_spec;
  const Target* truth = data.truth.get();
  const bool track = dim == 2 && truth != nullptr && true_mode_weights(*truth).defined();
  const int64_t modes = track ? true_mode_weights(*truth).size(0) : 0;
  const int64_t every =
      run.weights_every > 0 ? run.weights_every : std::max<int64_t>(1, options.steps() / 100);
  std::vector<std::string> columns = {"iteration", "loss", "global_accept", "local_accept"};
  for (int64_t k = 1; k <= modes; ++k) columns.push_back("weight_" + std::to_string(k));
  columns.push_back("skipped");
  columns.push_back("seconds");
  TrainingLog log(run.out + "/training.csv", columns);
  std::vector<double> weights(static_cast<size_t>(modes), std::nan(""));
  EbmProgress last;
  trainer.train([&](const EbmProgress& p) {
    last = p;
    if (!writes) return;
    if (track && (p.iteration % every == 0 || p.iteration == p.steps)) {
      const torch::Tensor mass = mode_masses(*truth, grid_over_data(trainer.target(), data.x, 100));
      for (int64_t k = 0; k < modes; ++k) weights[static_cast<size_t>(k)] = mass[k].item<double>();
      result.weight_iterations.push_back(p.iteration);
      result.weight_curve.push_back(weights);
    }
    std::vector<double> row = {static_cast<double>(p.iteration), p.loss, p.global_accept,
                               p.local_accept};
    row.insert(row.end(), weights.begin(), weights.end());
    row.push_back(static_cast<double>(p.skipped));
    row.push_back(p.seconds);
    log.add(row);
    if (observe) observe(p, weights);
  });
  if (writes) log.write();
  throw_if_interrupted(trainer.interrupted(), trainer.iteration(), checkpoint);
  fail_training_if(skipped_iterations_failure(last.iteration, last.skipped), "model", checkpoint,
                   run.out, [&] {
                     if (writes) trainer.save_checkpoint(checkpoint, "failed run");
                   });
  result.iterations = trainer.iteration();
  result.seconds = last.seconds;
  if (!writes) return result;
  trainer.save_checkpoint(model_path, run.data);
  std::filesystem::remove(checkpoint);
  if (method->flow()) {
    method->flow()->set_fitted_to("companion of " + model_path);
    save_flow(folder->file("flow.pt"), *method->flow());
  }
  // Metrics after the model is saved (the evaluation pass leaves the flow as it is), by this
  // process alone: the method's draws are the whole batch's again.
  method->set_share(BatchShare());
  Rng eval_rng(run.seed + 1);
  GridDensity grid;
  result.metrics = ebm_metrics(trainer.target(), *method, trainer.chains(), data.x, truth,
                               run.resolution, eval_rng, &grid);
  result.metrics["method"] = preset.method_spec;
  result.metrics["model"] = model_text;
  if (model->log_normalizer().defined()) {
    result.metrics["train_log_likelihood"] = mean_log_likelihood(*model, data.x).first;
    const auto* exact = dynamic_cast<const ExactSampler*>(truth);
    if (exact != nullptr) {
      Rng test_rng(20231);  // fixed test points, as the 2-d metrics
      const auto [mean, stderr_] =
          mean_log_likelihood(*model, exact->sample_exact(10000, test_rng));
      result.metrics["test_log_likelihood"] = mean;
      result.metrics["test_log_likelihood_stderr"] = stderr_;
    }
  }
  result.metrics["preset"] = run.preset;
  result.metrics["data"] = run.data;
  result.metrics["iterations"] = trainer.iteration();
  result.metrics["seconds"] = last.seconds;
  add_training_warnings(result.metrics);
  write_file_atomically(folder->file("metrics.json"), result.metrics.dump(2) + "\n");
  if (run.report) {
    result.report = write_ebm_report(run.out, log.path(), dim == 2 ? &grid : nullptr, data.x, truth,
                                     result.metrics);
  }
  return result;
}

}  // namespace ebmc
