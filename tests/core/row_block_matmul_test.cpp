#include "ebmc/core/row_block_matmul.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "ebmc/core/rng.h"

namespace ebmc {
namespace {

template <typename T>
std::vector<T> random_values(Rng& rng, int64_t count) {
  const torch::Tensor t =
      rng.normal({count}).to(std::is_same_v<T, float> ? torch::kFloat32 : torch::kFloat64);
  return std::vector<T>(t.data_ptr<T>(), t.data_ptr<T>() + count);
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

/// Every row of a block has the bits it has alone and the bits of the portable loop, for shapes
/// that exercise full tiles, half tiles and scalar columns.
template <typename T>
void check_rows_are_independent_of_blocks_and_isa() {
  Rng rng(11);
  for (int64_t k : {1, 7, 150}) {
    for (int64_t n : {1, 3, 5, 8, 12, 17, 150, 256}) {
      const int64_t rows = 9;
      const std::vector<T> x = random_values<T>(rng, rows * k), a = random_values<T>(rng, k * n);
      std::vector<T> all(rows * n), portable(rows * n);
      rows_times_matrix(x.data(), a.data(), all.data(), rows, k, n);
      detail::portable_rows_times_matrix(x.data(), a.data(), portable.data(), rows, k, n);
      EXPECT_TRUE(same_bits(all, portable)) << "k=" << k << " n=" << n;
      for (int64_t count = 1; count <= rows; ++count) {
        for (int64_t first = 0; first + count <= rows; first += count) {
          std::vector<T> part(count * n);
          rows_times_matrix(x.data() + first * k, a.data(), part.data(), count, k, n);
          const std::vector<T> expected(all.begin() + first * n, all.begin() + (first + count) * n);
          EXPECT_TRUE(same_bits(part, expected)) << "rows " << first << "+" << count;
        }
      }
    }
  }
}

TEST(RowBlockMatmulTest, Float64RowsDoNotDependOnTheBlockOrTheInstructionSet) {
  check_rows_are_independent_of_blocks_and_isa<double>();
}

TEST(RowBlockMatmulTest, Float32RowsDoNotDependOnTheBlockOrTheInstructionSet) {
  check_rows_are_independent_of_blocks_and_isa<float>();
}

TEST(RowBlockMatmulTest, EqualsTheMatrixProduct) {
  Rng rng(12);
  const torch::Tensor x = rng.normal({6, 150}), a = rng.normal({150, 37});
  const torch::Tensor expected = x.matmul(a);
  torch::Tensor out = torch::empty({6, 37}, torch::kFloat64);
  rows_times_matrix(x.data_ptr<double>(), a.data_ptr<double>(), out.data_ptr<double>(), 6, 150, 37);
  EXPECT_TRUE(torch::allclose(out, expected, 1e-12, 1e-12));
  const torch::Tensor xf = x.to(torch::kFloat32), af = a.to(torch::kFloat32);
  torch::Tensor outf = torch::empty({6, 37}, torch::kFloat32);
  rows_times_matrix(xf.data_ptr<float>(), af.data_ptr<float>(), outf.data_ptr<float>(), 6, 150, 37);
  EXPECT_TRUE(torch::allclose(outf.to(torch::kFloat64), expected, 1e-4, 1e-4));
}

/// The float64 kernel keeps the sequence the per-row kernel always had: each product rounded
/// before it is added (no fused multiply-add), checked on a case where the two differ.
TEST(RowBlockMatmulTest, Float64RoundsEachProductBeforeItsSum) {
  const double x[2] = {1.0, 1.0 + 0x1p-30};
  const double a[2] = {1.0, -(1.0 - 0x1p-30)};
  double out = 1;
  rows_times_matrix(x, a, &out, 1, 2, 1);
  // x₁a₁ = −(1 − 2⁻⁶⁰) rounds to −1, so 1 + x₁a₁ is exactly 0; an FMA would keep 2⁻⁶⁰.
  EXPECT_EQ(out, 0.0);
  const float xf[2] = {1.0f, 1.0f + 0x1p-12f}, af[2] = {1.0f, -(1.0f - 0x1p-12f)};
  float outf = 1;
  rows_times_matrix(xf, af, &outf, 1, 2, 1);
  EXPECT_EQ(outf, 0x1p-24f);  // the fused sum keeps the product's low bits
}

}  // namespace
}  // namespace ebmc
