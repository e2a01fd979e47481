#include "ebmc/core/vector_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "ebmc/core/rng.h"

namespace ebmc {
namespace {

template <typename T>
using Apply = void (*)(const T*, T*, int64_t);

/// Normal draws of scale 4 (beyond tanh's saturation and exp's usual range) and the special
/// values: ±0, a subnormal, tiny and huge magnitudes, overflow and underflow of exp, ±inf, NaN.
template <typename T>
std::vector<T> test_values(Rng& rng, int64_t count) {
  const torch::Tensor t =
      (4.0 * rng.normal({count})).to(std::is_same_v<T, float> ? torch::kFloat32 : torch::kFloat64);
  std::vector<T> values(t.data_ptr<T>(), t.data_ptr<T>() + count);
  const T inf = std::numeric_limits<T>::infinity();
  for (T v : {T(0), T(-0.0), std::numeric_limits<T>::denorm_min(), T(1e-30), T(-1e-7), T(700),
              T(-700), T(800), T(-800), inf, -inf, std::numeric_limits<T>::quiet_NaN()}) {
    values.push_back(v);
  }
  return values;
}

template <typename T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

/// Within `ulps` units in the last place of libm's value (both NaN, or equal when infinite/zero).
template <typename T>
void expect_close_to_libm(Apply<T> apply, T (*libm)(T), double ulps) {
  Rng rng(3);
  const std::vector<T> x = test_values<T>(rng, 1000);
  std::vector<T> y(x.size());
  apply(x.data(), y.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    const T expected = libm(x[i]);
    if (std::isnan(expected)) {
      EXPECT_TRUE(std::isnan(y[i])) << x[i];
    } else if (std::isinf(expected) || expected == 0) {
      EXPECT_EQ(y[i], expected) << x[i];
      EXPECT_EQ(std::signbit(y[i]), std::signbit(expected)) << x[i];
    } else {
      const T ulp = std::nextafter(std::abs(expected), std::numeric_limits<T>::infinity()) -
                    std::abs(expected);
      EXPECT_LE(std::abs(y[i] - expected), ulps * ulp) << "x = " << x[i];
    }
  }
}

/// Every value has the bits it has alone, whatever the array's length and its place in it, and
/// in place equals out of place.
template <typename T>
void expect_values_independent_of_position(Apply<T> apply) {
  Rng rng(4);
  const std::vector<T> x = test_values<T>(rng, 21);
  const auto n = static_cast<int64_t>(x.size());
  std::vector<T> alone(x.size());
  for (int64_t i = 0; i < n; ++i) apply(&x[i], &alone[i], 1);
  for (int64_t first = 0; first < n; ++first) {
    for (int64_t count = 1; first + count <= n; ++count) {
      std::vector<T> part(x.begin() + first, x.begin() + first + count);
      apply(part.data(), part.data(), count);  // in place
      for (int64_t i = 0; i < count; ++i) {
        EXPECT_TRUE(same_bits(part[i], alone[first + i])) << first << "+" << count << " at " << i;
      }
    }
  }
}

TEST(VectorMathTest, ExpIsWithinOneUlpOfLibm) {
  // SLEEF's u10 functions: 1 ulp from the true value, libm's within 1 ulp too.
  expect_close_to_libm<double>(exp_values, std::exp, 2);
}

TEST(VectorMathTest, TanhIsWithinFourUlpsOfLibm) {
  // SLEEF's u35 tanh: 3.5 ulp from the true value.
  expect_close_to_libm<double>(tanh_values, std::tanh, 4.5);
  expect_close_to_libm<float>(tanh_values, std::tanh, 4.5);
}

TEST(VectorMathTest, EveryValueHasItsBitsWhateverTheArray) {
  expect_values_independent_of_position<double>(exp_values);
  expect_values_independent_of_position<double>(tanh_values);
  expect_values_independent_of_position<float>(tanh_values);
}

TEST(VectorMathTest, PortableLoopsAreLibm) {
  Rng rng(5);
  const std::vector<double> x = test_values<double>(rng, 50);
  std::vector<double> e(x.size()), t(x.size());
  detail::portable_exp_values(x.data(), e.data(), static_cast<int64_t>(x.size()));
  detail::portable_tanh_values(x.data(), t.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_TRUE(same_bits(e[i], std::exp(x[i])));
    EXPECT_TRUE(same_bits(t[i], std::tanh(x[i])));
  }
}

TEST(VectorMathTest, AgreesWithTorchToRounding) {
  // LibTorch's CPU exp and tanh call the same SLEEF functions where it vectorizes.
  Rng rng(6);
  const torch::Tensor x = 3.0 * rng.normal({37});
  torch::Tensor e = torch::empty_like(x), t = torch::empty_like(x);
  exp_values(x.data_ptr<double>(), e.data_ptr<double>(), 37);
  tanh_values(x.data_ptr<double>(), t.data_ptr<double>(), 37);
  EXPECT_TRUE(torch::allclose(e, torch::exp(x), 1e-15, 0));
  EXPECT_TRUE(torch::allclose(t, torch::tanh(x), 1e-15, 1e-300));  // 1e-15 ≈ 4.5 ulp
}

}  // namespace
}  // namespace ebmc
