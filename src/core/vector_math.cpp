#include "ebmc/core/vector_math.h"

#include <cmath>

#include "vector_math_avx2.h"

namespace ebmc {

namespace detail {

bool vector_math_uses_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

void portable_exp_values(const double* x, double* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
}

void portable_tanh_values(const double* x, double* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

void portable_tanh_values(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

}  // namespace detail

void exp_values(const double* x, double* y, int64_t n) {
  if (detail::vector_math_uses_avx2()) return detail::avx2_exp_values(x, y, n);
  detail::portable_exp_values(x, y, n);
}

void tanh_values(const double* x, double* y, int64_t n) {
  if (detail::vector_math_uses_avx2()) return detail::avx2_tanh_values(x, y, n);
  detail::portable_tanh_values(x, y, n);
}

void tanh_values(const float* x, float* y, int64_t n) {
  if (detail::vector_math_uses_avx2()) return detail::avx2_tanh_values(x, y, n);
  detail::portable_tanh_values(x, y, n);
}

}  // namespace ebmc
