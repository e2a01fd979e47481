// Compiled with -mavx2 -mfma, outside the unity batches and the precompiled header (see
// vector_math_avx2.h and CMakeLists.txt): nothing here may be an inline function that another
// translation unit also emits.

#include "vector_math_avx2.h"

#include <immintrin.h>
#include <sleef.h>

namespace ebmc::detail {

namespace {

/// y = f(x) over n values, `Lanes` at a time; the last partial vector is padded with zeros, so
/// that every value goes through the same vector function.
template <typename T, int Lanes, typename Apply>
inline void over_vectors(const T* x, T* y, int64_t n, Apply apply) {
  int64_t i = 0;
  for (; i + Lanes <= n; i += Lanes) apply(x + i, y + i);
  if (i == n) return;
  T in[Lanes] = {}, out[Lanes];
  for (int64_t j = i; j < n; ++j) in[j - i] = x[j];
  apply(in, out);
  for (int64_t j = i; j < n; ++j) y[j] = out[j - i];
}

}  // namespace

void avx2_exp_values(const double* x, double* y, int64_t n) {
  over_vectors<double, 4>(x, y, n, [](const double* a, double* b) {
    _mm256_storeu_pd(b, Sleef_expd4_u10avx2(_mm256_loadu_pd(a)));
  });
}

void avx2_tanh_values(const double* x, double* y, int64_t n) {
  over_vectors<double, 4>(x, y, n, [](const double* a, double* b) {
    _mm256_storeu_pd(b, Sleef_tanhd4_u35avx2(_mm256_loadu_pd(a)));
  });
}

void avx2_tanh_values(const float* x, float* y, int64_t n) {
  over_vectors<float, 8>(x, y, n, [](const float* a, float* b) {
    _mm256_storeu_ps(b, Sleef_tanhf8_u35avx2(_mm256_loadu_ps(a)));
  });
}

}  // namespace ebmc::detail
