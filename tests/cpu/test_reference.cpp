// The CPU reference against a loop written here from the format definition alone, and the CPU
// backend against the reference.
#include <gtest/gtest.h>

#include <stdexcept>

#include "host/numeric.h"
#include "host/parallel.h"
#include "host/reference.h"
#include "testkit/testkit.h"

using namespace w4a16;

namespace {

// Straight from docs/FORMAT.md: nibble k%2 of byte k/2, group k/g, (q-8)*s or q*s+z rounded to the
// dtype; product summed in long double.
std::vector<double> naive(const w4a16_problem& p, const std::vector<uint16_t>& x, kit::HostWeights& hw,
                          const std::vector<uint16_t>& bias) {
  const bool bf16 = p.dtype == W4A16_BF16;
  const int64_t g = hw.group_size ? hw.group_size : p.k, G = p.k / g;
  std::vector<double> y((size_t)(p.m * p.n));
  for (int64_t m = 0; m < p.m; ++m)
    for (int64_t n = 0; n < p.n; ++n) {
      long double acc = 0;
      for (int64_t k = 0; k < p.k; ++k) {
        const int q = (hw.codes[(n * p.k + k) / 2] >> (4 * (k % 2))) & 15;
        const double s = num::from_bits(hw.scales[n * G + k / g], bf16);
        const double v = hw.zeros ? q * s + num::from_bits(hw.zero_vals[n * G + k / g], bf16) : (q - 8) * s;
        acc += (long double)num::from_bits(num::to_bits(v, bf16), bf16) * num::from_bits(x[m * p.k + k], bf16);
      }
      if (p.has_bias) acc += num::from_bits(bias[n], bf16);
      y[m * p.n + n] = (double)acc;
    }
  return y;
}

}  // namespace

class ReferenceTest : public ::testing::TestWithParam<std::tuple<int32_t, bool, bool, bool>> {};

TEST_P(ReferenceTest, MatchesNaiveLoopAndHostBackend) {
  const auto [group, zeros, bf16, bias] = GetParam();
  const uint64_t seed = kit::default_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  kit::Rng rng(seed);
  const int64_t m = 5, n = 40, k = group ? 3 * group : 96;
  kit::HostWeights hw = kit::random_weights(rng, n, k, group, zeros, bf16);
  const w4a16_problem p = kit::make_problem(m, n, k, bf16, group, zeros, bias);
  const std::vector<uint16_t> x = kit::random_16(rng, m * k, bf16), b = kit::random_16(rng, n, bf16);
  Problem rp;
  ASSERT_EQ(validate_problem(&p, &rp), W4A16_OK);
  std::vector<double> ref((size_t)(m * n));
  ASSERT_EQ(reference_gemm(rp, x.data(), hw.desc(), b.data(), ref.data()), W4A16_OK);
  const std::vector<double> want = naive(p, x, hw, b);
  for (size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(ref[i], want[i], 1e-9 * (1 + std::fabs(want[i]))) << i;

  // CPU backend (fp32 sgemm, one rounding) within the documented bounds of the reference.
  size_t bytes = 0;
  ASSERT_EQ(w4a16_packed_size(W4A16_FAMILY_HOST, n, k, group, zeros, &bytes), W4A16_OK);
  std::vector<uint8_t> packed(bytes);
  w4a16_weights w{};
  w4a16_canonical c = hw.desc();
  ASSERT_EQ(w4a16_pack_host(&c, W4A16_FAMILY_HOST, packed.data(), bytes, &w), W4A16_OK);
  std::vector<uint16_t> y((size_t)(m * n), 0xFFFF);  // poisoned: NaN in both dtypes
  ASSERT_EQ(w4a16_gemm_host(&p, x.data(), &w, b.data(), y.data()), W4A16_OK) << w4a16_last_error();
  const kit::ErrorStats e = kit::compare(y.data(), n, ref.data(), m, n, bf16);
  EXPECT_TRUE(e.ok) << e.describe();
}

INSTANTIATE_TEST_SUITE_P(AllModes, ReferenceTest,
                         ::testing::Combine(::testing::Values(32, 64, 128, 256, 0), ::testing::Bool(),
                                            ::testing::Bool(), ::testing::Bool()));

// hw packed for the host family into *packed, its descriptor in *w.
static void pack_for_host(kit::HostWeights& hw, std::vector<uint8_t>* packed, w4a16_weights* w) {
  size_t bytes = 0;
  ASSERT_EQ(w4a16_packed_size(W4A16_FAMILY_HOST, hw.n, hw.k, hw.group_size, hw.zeros, &bytes), W4A16_OK);
  packed->assign(bytes, 0);
  *w = w4a16_weights{};
  w4a16_canonical c = hw.desc();
  ASSERT_EQ(w4a16_pack_host(&c, W4A16_FAMILY_HOST, packed->data(), bytes, w), W4A16_OK) << w4a16_last_error();
}

TEST(HostBackend, HonoursLeadingDimensions) {
  kit::Rng rng(11);
  const int64_t m = 3, n = 16, k = 64, lda = 72, ldy = 24;
  kit::HostWeights hw = kit::random_weights(rng, n, k, 32, false, false);
  w4a16_problem p = kit::make_problem(m, n, k, false, 32, false, false);
  p.lda = lda;
  p.ldy = ldy;
  std::vector<uint16_t> x = kit::random_16(rng, m * lda, false), y((size_t)(m * ldy), 0x1234);
  std::vector<uint8_t> packed;
  w4a16_weights w;
  pack_for_host(hw, &packed, &w);
  const w4a16_canonical c = hw.desc();
  ASSERT_EQ(w4a16_gemm_host(&p, x.data(), &w, nullptr, y.data()), W4A16_OK);
  Problem rp;
  ASSERT_EQ(validate_problem(&p, &rp), W4A16_OK);
  std::vector<double> ref((size_t)(m * n));
  ASSERT_EQ(reference_gemm(rp, x.data(), c, nullptr, ref.data()), W4A16_OK);
  EXPECT_TRUE(kit::compare(y.data(), ldy, ref.data(), m, n, false).ok);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t j = n; j < ldy; ++j) EXPECT_EQ(y[r * ldy + j], 0x1234) << "padding written";
}

// Weights shorter than their shape's packed sections are refused before they are read.
TEST(HostBackend, RefusesWeightsShorterThanTheirShape) {
  kit::Rng rng(12);
  const int64_t m = 2, n = 16, k = 64;
  kit::HostWeights hw = kit::random_weights(rng, n, k, 32, true, false);
  const w4a16_problem p = kit::make_problem(m, n, k, false, 32, true, false);
  std::vector<uint8_t> packed;
  w4a16_weights w;
  pack_for_host(hw, &packed, &w);
  const size_t bytes = packed.size();
  std::vector<uint16_t> x = kit::random_16(rng, m * k, false), y((size_t)(m * n));
  w.bytes = bytes - 2;
  EXPECT_EQ(w4a16_gemm_host(&p, x.data(), &w, nullptr, y.data()), W4A16_ERR_WEIGHTS_MISMATCH);
  const std::string want = "weights hold " + std::to_string(bytes - 2) + " bytes but N=16 K=64 g=32 need " +
                           std::to_string(bytes);
  EXPECT_NE(std::string(w4a16_last_error()).find(want), std::string::npos) << w4a16_last_error();
}

// Scratch that cannot be allocated is a status, not std::bad_alloc through the C ABI. M x K = 2^48
// activations make the fp32 copy of X 2^50 bytes, beyond any address space, so the allocation fails
// at once (no overcommit, no swap). x and y are small stand-ins: gemm_host allocates that copy before
// it reads X (host_backend.cpp), and fails before it writes Y.
TEST(HostBackend, UnallocatableScratchIsOutOfMemory) {
  const int64_t m = int64_t{1} << 28, n = 8, k = int64_t{1} << 20;
  kit::HostWeights hw;
  hw.n = n;
  hw.k = k;
  hw.group_size = 128;
  hw.codes.assign((size_t)(n * k / 2), 0x88);  // code 8: W^ = 0
  hw.scales.assign((size_t)(n * k / 128), 0x3c00);
  std::vector<uint8_t> packed;
  w4a16_weights w;
  pack_for_host(hw, &packed, &w);
  const w4a16_problem p = kit::make_problem(m, n, k, false, 128, false, false);
  std::vector<uint16_t> x(64), y(64, 0x1234);
  EXPECT_EQ(w4a16_gemm_host(&p, x.data(), &w, nullptr, y.data()), W4A16_ERR_OUT_OF_MEMORY);
  EXPECT_NE(std::string(w4a16_last_error()).find("w4a16_gemm_host: host memory could not be allocated"),
            std::string::npos)
      << w4a16_last_error();
  for (uint16_t v : y) EXPECT_EQ(v, 0x1234);
}

// A worker's exception reaches parallel_for's caller (for guarded() to turn into a status) instead
// of std::terminate.
TEST(HostBackend, ParallelForRethrowsAWorkersException) {
  EXPECT_THROW(parallel_for(64, 1,
                            [](int64_t b, int64_t e) {
                              if (b <= 40 && 40 < e) throw std::runtime_error("chunk with 40");
                            }),
               std::runtime_error);
}
