#include "ebmc/io/output_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ebmc/core/errors.h"

namespace ebmc {

OutputFolder::OutputFolder(std::string path, const std::vector<std::string>& outputs)
    : path_(std::move(path)) {
  if (path_.empty()) throw InputError("output folder is empty", "--out");
  std::error_code error;
  if (std::filesystem::exists(path_, error) && !std::filesystem::is_directory(path_, error)) {
    throw InputError("output folder is an existing file", path_);
  }
  std::filesystem::create_directories(path_, error);
  if (error) throw InputError("cannot create output folder: " + error.message(), path_);
  const std::string lock = file(".ebmc.lock");
  lock_fd_ = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    throw InputError(std::string("cannot write in output folder: ") + std::strerror(errno), path_);
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw InputError("another ebmc run is writing to this output folder", path_);
  }
  for (const std::string& name : outputs) {
    std::filesystem::remove(file(name), error);
    if (error) throw InputError("cannot remove an earlier run's " + name, file(name));
  }
}

// The lock file stays: removing it would let a waiting run lock a deleted inode while a third
// one locks a new file.
OutputFolder::~OutputFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void check_output_file(const std::string& path, const std::string& option) {
  if (path.empty()) throw InputError("output path is empty", option);
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw InputError("output path is a folder, expected a file name", option + " " + path);
  }
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (!std::filesystem::is_directory(folder, error)) {
    throw InputError("folder " + folder.string() + " does not exist", option + " " + path);
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    throw InputError("folder " + folder.string() + " is not writable", option + " " + path);
  }
}

}  // namespace ebmc
