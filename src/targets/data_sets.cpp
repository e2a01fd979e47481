#include "ebmc/targets/data_sets.h"

#include <filesystem>

#include "ebmc/core/errors.h"
#include "ebmc/io/dataset_csv.h"
#include "ebmc/targets/registry.h"

namespace ebmc {

TrainingData load_training_data(const std::string& data, int64_t rows, uint64_t seed) {
  TrainingData out;
  out.source = data;
  if (std::filesystem::exists(data)) {
    PointDataset points = read_point_dataset(data);
    out.x = points.x;
    out.names = points.names;
    return out;
  }
  if (!is_registered_target(data)) {
    throw InputError("no such file, nor a target that draws exact samples (see `ebmc list`)",
                     "--data " + data);
  }
  if (rows < 1) throw InputError("must be >= 1", "--data-size");
  std::shared_ptr<Target> target;
  try {
    target = make_target(data);
  } catch (const InputError& e) {  // name the option the user wrote
    std::string where = e.where();
    if (where.rfind("--target", 0) == 0) where.replace(0, 8, "--data");
    throw InputError(e.what(), where);
  }
  const auto* exact = dynamic_cast<const ExactSampler*>(target.get());
  if (exact == nullptr) {
    throw InputError("target '" + target->name() + "' cannot draw exact samples; give a CSV file",
                     "--data " + data);
  }
  Rng rng(seed);
  out.x = exact->sample_exact(rows, rng);
  out.names = target->parameter_names();
  out.truth = std::move(target);
  return out;
}

}  // namespace ebmc
