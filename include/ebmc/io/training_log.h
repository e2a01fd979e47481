#pragma once
/// @file training_log.h
/// The training curves of a trainer, one CSV row per iteration (`MODEL.training.csv`), written
/// atomically; `ebmc report` draws every column against `iteration`.

#include <string>
#include <vector>

namespace ebmc {

/// Collects rows in memory and writes the whole log atomically.
///
///     ebmc::TrainingLog log("flow.pt.training.csv", {"iteration", "loss", "learning_rate"});
///     log.add({1, 0.53, 1e-2});
///     log.write();
class TrainingLog {
 public:
  TrainingLog(std::string path, std::vector<std::string> columns);
  /// Appends one row (one value per column; integers print exactly, others with 10 digits).
  void add(const std::vector<double>& values);
  /// Writes the header and every row so far to `path` (atomically).
  void write() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  size_t columns_;
  std::string text_;
};

}  // namespace ebmc
