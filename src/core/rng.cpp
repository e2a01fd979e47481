#include "ebmc/core/rng.h"

#include <ATen/CPUGeneratorImpl.h>

namespace ebmc {

Rng::Rng(uint64_t seed) : seed_(seed), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

torch::Tensor Rng::normal(torch::IntArrayRef sizes, torch::ScalarType dtype) {
  return torch::randn(sizes, generator_, torch::TensorOptions().dtype(dtype));
}

torch::Tensor Rng::uniform(torch::IntArrayRef sizes, torch::ScalarType dtype) {
  return torch::rand(sizes, generator_, torch::TensorOptions().dtype(dtype));
}

}  // namespace ebmc
