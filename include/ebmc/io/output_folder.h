#pragma once
/// @file output_folder.h
/// Output paths checked before any long work starts, and output folders one run owns.

#include <string>
#include <vector>

namespace ebmc {

/// An output folder for one run: created if missing, checked writable, locked against a second
/// concurrent run (an advisory lock on `DIR/.ebmc.lock`, released when the process ends however
/// it ends), and cleared of the `outputs` an earlier run left there, so that old results never
/// sit next to new ones. Everything is checked in the constructor, before the run starts.
///
///     ebmc::OutputFolder folder(out, {"draws.csv", "draws.csv.partial", "summary.json"});
class OutputFolder {
 public:
  OutputFolder(std::string path, const std::vector<std::string>& outputs);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// `path/name`.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  int lock_fd_ = -1;
};

/// Throws InputError naming `option` unless `path` can be written as a file: it is not a
/// folder and its folder exists and is writable. For model files, JSON results and the like,
/// checked before the work that produces them.
void check_output_file(const std::string& path, const std::string& option);

}  // namespace ebmc
