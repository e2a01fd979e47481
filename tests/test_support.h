#pragma once
// Helpers shared by the tests: seeding, temporary files, running the `ebmc` binary or its
// command line in-process.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>
#include <wordexp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "apps/ebmc/cli.h"
#include "ebmc/core/errors.h"
#include "ebmc/core/target.h"

namespace ebmc::testing {

/// Expects InputError whose message contains `what` and whose place is `where`.
template <typename F>
void expect_input_error(F f, const std::string& what, const std::string& where) {
  try {
    f();
    FAIL() << "expected InputError containing '" << what << "'";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    EXPECT_EQ(e.where(), where);
  }
}

/// A module's parameters (detached), flattened into one vector: for comparing trained models.
inline torch::Tensor flat_parameters(const torch::nn::Module& module) {
  std::vector<torch::Tensor> flat;
  for (const torch::Tensor& p : module.parameters()) flat.push_back(p.detach().reshape(-1));
  return torch::cat(flat);
}

/// A target's energy differentiated by autograd, bypassing its analytic gradient: the reference
/// the analytic gradients are checked against.
class AutogradOf : public Target {
 public:
  explicit AutogradOf(const Target& inner) : inner_(inner) {}
  int64_t dim() const override { return inner_.dim(); }
  std::string name() const override { return "autograd"; }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override { return inner_.energy(x); }

 private:
  const Target& inner_;
};

/// A target's batched evaluation without its fused per-state path (`row_energy`): kernels with a
/// fused path then take their tensor path, the reference the fused one is checked against.
class WithoutRowEnergy : public Target {
 public:
  explicit WithoutRowEnergy(const Target& inner) : inner_(inner) {}
  int64_t dim() const override { return inner_.dim(); }
  std::string name() const override { return inner_.name(); }

 protected:
  torch::Tensor compute_energy(const torch::Tensor& x) const override { return inner_.energy(x); }
  EnergyAndGrad compute_energy_and_grad(const torch::Tensor& x) const override {
    return inner_.energy_and_grad(x);
  }

 private:
  const Target& inner_;
};

/// Fixes LibTorch's global seed as well, so that nothing in a test depends on run order.
class SeedingFixture : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(20261122); }
};

/// A fresh temporary folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("ebmc_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  /// Path of `name` inside the folder.
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  /// Writes `content` to `name` and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(file(name)) << content;
    return file(name);
  }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::filesystem::path path_;
};

/// Output and exit code of a command.
struct CommandResult {
  int exit_code = -1;
  std::string out;  ///< standard output
  std::string err;  ///< standard error
};

/// The whole contents of the file at `path`.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Runs the `ebmc` binary with `arguments` (a shell-quoted string), with `environment`
/// assignments (e.g. "EBMC_GNUPLOT=/x") in front.
inline CommandResult run_ebmc_binary(const std::string& arguments,
                                     const std::string& environment = "") {
  TempDir dir;
  const std::string out_file = dir.file("stdout");
  const std::string err_file = dir.file("stderr");
  const std::string command = environment + " " + std::string(EBMC_CLI_PATH) + " " + arguments +
                              " >" + out_file + " 2>" + err_file;
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = slurp(out_file);
  result.err = slurp(err_file);
  return result;
}

/// Runs the `ebmc` command line in this process (`ebmc::cli::run`) with `arguments` split as a
/// shell would (quotes, no command substitution), capturing file descriptors 1 and 2: the same
/// exit status and output as the binary without LibTorch's start-up (~0.65 s) per call. Not for
/// `launch`, whose ranks run this executable.
inline CommandResult run_ebmc_in_process(const std::string& arguments) {
  wordexp_t words;
  if (::wordexp(arguments.c_str(), &words, WRDE_NOCMD | WRDE_UNDEF) != 0) {
    throw std::runtime_error("cannot split the arguments: " + arguments);
  }
  std::string program = "ebmc";
  std::vector<char*> argv{program.data()};
  for (size_t k = 0; k < words.we_wordc; ++k) argv.push_back(words.we_wordv[k]);
  argv.push_back(nullptr);
  TempDir dir;
  const std::string out_file = dir.file("stdout");
  const std::string err_file = dir.file("stderr");
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const int saved_out = ::dup(1);
  const int saved_err = ::dup(2);
  const int out_fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  CommandResult result;
  result.exit_code = ebmc::cli::run(static_cast<int>(argv.size()) - 1, argv.data());
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  for (int fd : {saved_out, saved_err, out_fd, err_fd}) ::close(fd);
  ::wordfree(&words);
  result.out = slurp(out_file);
  result.err = slurp(err_file);
  return result;
}

/// Runs `ebmc arguments`: in this process (`run_ebmc_in_process`), or the binary when
/// `environment` is given, for `launch` (its ranks run this executable) and for arguments with
/// shell redirections or pipes.
inline CommandResult run_ebmc(const std::string& arguments, const std::string& environment = "") {
  if (!environment.empty() || arguments.rfind("launch", 0) == 0 ||
      arguments.find_first_of("<>|&;") != std::string::npos) {
    return run_ebmc_binary(arguments, environment);
  }
  return run_ebmc_in_process(arguments);
}

}  // namespace ebmc::testing
