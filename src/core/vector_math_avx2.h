#pragma once
// The AVX2 kernels behind vector_math.h, in vector_math_avx2.cpp: the one source compiled with
// -mavx2 -mfma (SLEEF's header declares its AVX2 functions only then), so it includes nothing
// but <cstdint>, <immintrin.h> and <sleef.h> and defines only these functions; they are called
// only after the CPU check in vector_math.cpp.

#include <cstdint>

namespace ebmc::detail {

void avx2_exp_values(const double* x, double* y, int64_t n);
void avx2_tanh_values(const double* x, double* y, int64_t n);
void avx2_tanh_values(const float* x, float* y, int64_t n);

}  // namespace ebmc::detail
