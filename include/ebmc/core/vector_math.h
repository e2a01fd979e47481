#pragma once
/// @file vector_math.h
/// exp and tanh of arrays, four (float64) or eight (float32) values per instruction: the
/// transcendental functions of the learned kernels' fused per-chain paths (L2HMC evaluates
/// 8 per coordinate and leapfrog step), where libm's one-value-at-a-time calls were half of a
/// transition's time.
///
/// Where the CPU has AVX2 and FMA these are SLEEF's vector functions (Debian's libsleef, the
/// library LibTorch's own CPU kernels call for `torch::exp` and `torch::tanh`): exp accurate to
/// 1 ulp (the function LibTorch calls), tanh to 3.5 ulp (twice as fast as the 1-ulp one, which
/// was still a quarter of an L2HMC transition; the networks' outputs need no more); elsewhere
/// libm's. Each result depends only on its input value, not on `n` or on where the value falls in
/// the array (a partial last vector is padded), so a chain's draws do not depend on how many
/// values are evaluated together; they do depend on the instruction set (SLEEF and libm round
/// differently in the last bits).

#include <cstdint>

namespace ebmc {

/// y[i] = exp(x[i]) for i < n; y may be x.
void exp_values(const double* x, double* y, int64_t n);

/// y[i] = tanh(x[i]) for i < n; y may be x.
void tanh_values(const double* x, double* y, int64_t n);

/// y[i] = tanh(x[i]) for i < n in float32; y may be x.
void tanh_values(const float* x, float* y, int64_t n);

namespace detail {
/// Whether `exp_values` and `tanh_values` run SLEEF's AVX2 kernels on this CPU.
bool vector_math_uses_avx2();
/// The loops a CPU without AVX2 and FMA runs (libm), for tests.
void portable_exp_values(const double* x, double* y, int64_t n);
void portable_tanh_values(const double* x, double* y, int64_t n);
void portable_tanh_values(const float* x, float* y, int64_t n);
}  // namespace detail

}  // namespace ebmc
