#include "ebmc/distributed/process_group.h"

#include <chrono>
#include <cstdlib>
#include <limits>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "ebmc/core/errors.h"

namespace ebmc {

namespace {

/// The value of environment variable `name`, or "" when it is unset.
std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

/// `name`'s value as an integer in [low, high]; throws InputError naming the variable.
long long environment_integer(const char* name, long long low, long long high) {
  const std::string text = environment(name);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < low || value > high) {
    throw InputError("'" + text + "' is not an integer in [" + std::to_string(low) + ", " +
                         std::to_string(high) + "]",
                     name);
  }
  return value;
}

/// A message without LibTorch's C++ backtrace.
std::string message_of(const std::exception& e) {
  if (const auto* c10_error = dynamic_cast<const c10::Error*>(&e)) {
    return c10_error->what_without_backtrace();
  }
  return e.what();
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

}  // namespace

std::string DistributedSettings::where() const {
  return "rank " + std::to_string(rank) + " of " + std::to_string(world_size);
}

DistributedSettings distributed_settings_from_environment() {
  DistributedSettings settings;
  const bool has_rank = !environment("RANK").empty();
  const bool has_world = !environment("WORLD_SIZE").empty();
  if (has_rank != has_world) {
    throw InputError("RANK and WORLD_SIZE must be set together", has_rank ? "WORLD_SIZE" : "RANK");
  }
  if (has_world) {
    settings.world_size = static_cast<int>(environment_integer("WORLD_SIZE", 1, 65536));
    settings.rank = static_cast<int>(environment_integer("RANK", 0, settings.world_size - 1));
  }
  if (!environment("MASTER_ADDR").empty()) settings.master_addr = environment("MASTER_ADDR");
  if (!environment("MASTER_PORT").empty()) {
    settings.master_port = static_cast<int>(environment_integer("MASTER_PORT", 1, 65535));
  }
  settings.file_store = environment("EBMC_FILE_STORE");
  if (!environment("EBMC_DIST_TIMEOUT").empty()) {
    settings.timeout_seconds =
        static_cast<double>(environment_integer("EBMC_DIST_TIMEOUT", 1, 7 * 24 * 3600));
  }
  return settings;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

namespace {

/// Runs `body`, turning every failure of the communication layer into RunFailed.
template <class Body>
auto guarded(const DistributedSettings& settings, const char* what, Body body) {
  try {
    return body();
  } catch (const RunFailed&) {
    throw;
  } catch (const std::exception& e) {
    throw RunFailed(
        std::string("lost contact with the other ranks during ") + what + ": " + message_of(e),
        settings.where());
  }
}

}  // namespace

ProcessGroup::ProcessGroup(const DistributedSettings& settings)
    : settings_(settings), impl_(std::make_unique<Impl>()) {
  const auto timeout = std::chrono::milliseconds(
      static_cast<int64_t>(std::min(settings.timeout_seconds, 1e9) * 1000.0));
  guarded(settings_, "the rendezvous", [&] {
    if (!settings.file_store.empty()) {
      impl_->store = c10::make_intrusive<c10d::FileStore>(settings.file_store, settings.world_size);
    } else {
      c10d::TCPStoreOptions options;
      options.port = static_cast<std::uint16_t>(settings.master_port);
      options.isServer = settings.rank == 0;
      options.numWorkers = settings.world_size;
      options.waitWorkers = true;
      options.timeout = timeout;
      impl_->store = c10::make_intrusive<c10d::TCPStore>(settings.master_addr, options);
    }
    impl_->store->setTimeout(timeout);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    const std::string interface = environment("GLOO_SOCKET_IFNAME");
    if (!interface.empty()) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    } else if (is_loopback(settings.master_addr) || !settings.file_store.empty()) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    options->threads = 1;
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, settings.rank,
                                                               settings.world_size, options);
    // Every rank's connections are complete before any returns: a rank that left right after its
    // own side was set up would otherwise break a slower rank's rendezvous.
    impl_->group->barrier()->wait();
    return 0;
  });
}

ProcessGroup::~ProcessGroup() = default;

template <class Body>
auto ProcessGroup::timed(const char* what, Body body) {
  const auto start = std::chrono::steady_clock::now();
  struct AddTime {
    double& total;
    std::chrono::steady_clock::time_point start;
    ~AddTime() {
      total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  } add_time{communication_seconds_, start};
  return guarded(settings_, what, body);
}

std::vector<torch::Tensor> ProcessGroup::all_gather(const torch::Tensor& tensor) {
  return timed("all_gather", [&] {
    std::vector<torch::Tensor> input = {tensor.contiguous()};
    std::vector<std::vector<torch::Tensor>> output(1);
    for (int r = 0; r < world_size(); ++r) output[0].push_back(torch::empty_like(input[0]));
    impl_->group->allgather(output, input)->wait();
    return output[0];
  });
}

std::vector<torch::Tensor> ProcessGroup::all_gather_rows(const torch::Tensor& tensor) {
  TORCH_CHECK(tensor.dim() >= 1, "all_gather_rows needs a tensor with rows");
  const std::vector<torch::Tensor> rows =
      all_gather(torch::tensor({tensor.size(0)}, torch::kInt64));
  int64_t most = 0;
  for (const torch::Tensor& r : rows) most = std::max(most, r.item<int64_t>());
  std::vector<int64_t> padded_shape = tensor.sizes().vec();
  padded_shape[0] = most;
  torch::Tensor padded = torch::zeros(padded_shape, tensor.options());
  padded.narrow(0, 0, tensor.size(0)).copy_(tensor);
  std::vector<torch::Tensor> gathered = all_gather(padded);
  for (size_t r = 0; r < gathered.size(); ++r) {
    gathered[r] = gathered[r].narrow(0, 0, rows[r].item<int64_t>());
  }
  return gathered;
}

void ProcessGroup::sum(std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  std::vector<torch::Tensor> flat;
  for (const torch::Tensor& t : tensors) flat.push_back(t.detach().reshape(-1).to(torch::kFloat64));
  const std::vector<torch::Tensor> gathered = all_gather(torch::cat(flat));
  torch::Tensor total = gathered[0].clone();
  for (size_t r = 1; r < gathered.size(); ++r) total += gathered[r];
  int64_t offset = 0;
  for (torch::Tensor& t : tensors) {
    const int64_t n = t.numel();
    torch::NoGradGuard no_grad;
    t.copy_(total.narrow(0, offset, n).view(t.sizes()));
    offset += n;
  }
}

void ProcessGroup::average(std::vector<torch::Tensor>& tensors) {
  sum(tensors);
  torch::NoGradGuard no_grad;
  for (torch::Tensor& t : tensors) t.div_(static_cast<double>(world_size()));
}

void ProcessGroup::broadcast(torch::Tensor& tensor) {
  timed("broadcast", [&] {
    std::vector<torch::Tensor> tensors = {tensor.contiguous()};
    impl_->group->broadcast(tensors)->wait();
    if (!tensor.is_contiguous() || tensors[0].data_ptr() != tensor.data_ptr()) {
      torch::NoGradGuard no_grad;
      tensor.copy_(tensors[0]);
    }
    return 0;
  });
}

void ProcessGroup::barrier() {
  timed("barrier", [&] {
    impl_->group->barrier()->wait();
    return 0;
  });
}

}  // namespace ebmc
