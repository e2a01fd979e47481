#pragma once
/// @file scratch_dir.h
/// A private temporary folder removed with the object (gnuplot scripts, a launch's FileStore,
/// a benchmark's runs).
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "ebmc/core/errors.h"

namespace ebmc {

/// A fresh folder `TMPDIR/PREFIX-XXXXXX`, removed with everything in it at scope exit.
///
///     ebmc::ScratchDir scratch("ebmc-report", "report");
///     write(scratch.file("plot.gp"));
class ScratchDir {
 public:
  /// Throws RunFailed at `where` when the folder cannot be created.
  ScratchDir(const std::string& prefix, const std::string& where) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw RunFailed("cannot create a scratch folder", where);
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  /// `path/name`.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace ebmc
