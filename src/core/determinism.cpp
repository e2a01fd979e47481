#include "ebmc/core/determinism.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <cstring>

namespace ebmc {

namespace {

/// ATen reads ATEN_CPU_CAPABILITY once, at its first dispatched kernel — after static
/// initialisation, so setting it here takes effect (an explicit setting by the user wins).
const bool kPortableKernelsRequested = [] {
  setenv("ATEN_CPU_CAPABILITY", "default", /*overwrite=*/0);
  return true;
}();

}  // namespace

SingleThreadScope::SingleThreadScope() : previous_(at::get_num_threads()) {
  if (previous_ != 1) at::set_num_threads(1);
}

SingleThreadScope::~SingleThreadScope() {
  if (previous_ != 1) at::set_num_threads(previous_);
}

bool portable_cpu_kernels() {
  const char* value = std::getenv("ATEN_CPU_CAPABILITY");
  return kPortableKernelsRequested && value != nullptr && std::strcmp(value, "default") == 0;
}

}  // namespace ebmc
