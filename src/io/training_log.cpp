#include "ebmc/io/training_log.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "ebmc/io/atomic_file.h"

namespace ebmc {

TrainingLog::TrainingLog(std::string path, std::vector<std::string> columns)
    : path_(std::move(path)), columns_(columns.size()) {
  for (size_t k = 0; k < columns.size(); ++k) text_ += (k ? "," : "") + columns[k];
  text_ += "\n";
}

void TrainingLog::add(const std::vector<double>& values) {
  if (values.size() != columns_) throw std::logic_error("training log row has the wrong width");
  char field[64];
  for (size_t k = 0; k < values.size(); ++k) {
    const double v = values[k];
    if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 1e15) {
      std::snprintf(field, sizeof field, "%s%.0f", k ? "," : "", v);
    } else {
      std::snprintf(field, sizeof field, "%s%.10g", k ? "," : "", v);
    }
    text_ += field;
  }
  text_ += "\n";
}

void TrainingLog::write() const { write_file_atomically(path_, text_); }

}  // namespace ebmc
